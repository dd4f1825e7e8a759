"""The transformer layer: loading models (hub id, local folder, GGUF), prompts and generation.

Nothing here yet: summaries come from ``pipeline.summarize``'s extractive summarizer, which is
also the fallback every model-written bullet is checked against.
"""
