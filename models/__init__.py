"""The engine layer: model presets, verified weights, prompts and token budgets, generation.

It knows nothing of summaries or digests: it imports only ``kiku.config``, ``kiku.errors`` and
``kiku.types`` from the pipeline, and the summarizers (:mod:`kiku.summarizers.transformer`) and
the digest call into it. :mod:`kiku.models.generate` is the one module that imports torch.
"""
