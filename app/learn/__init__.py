"""Learning: training data, LoRA fine-tuning of planner, caller and solver, GGUF adapters.

Qt-free and light at import: torch, transformers and peft (the ``[train]`` extra) are
imported only inside ``app.learn.train`` when a training run starts.
"""
