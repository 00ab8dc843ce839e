"""Talking HTTP, one way for the whole core: sessions (truthful User-Agent, proxies from the
environment, retries for idempotent requests), size caps, timeouts, and one wording for a
request that could not get through. The web tools, the OpenAI-compatible backend and the
model downloads all use it; the policy (timeouts, retries, caps) is passed in by the caller.
"""
