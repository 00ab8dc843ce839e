"""Model management: the catalog, what this machine can run, GGUF headers, downloads and
imports, and the ``smart-agent models`` commands. Plain Python: no Qt here, the model
manager dialog and the CLI both read these modules."""
