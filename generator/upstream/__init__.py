"""Air-gapped mode: the pinned upstream charts, vendored into the repository.

`platformc vendor` fetches every pinned chart once into `vendor/charts/`
(`generator.upstream.charts.vendor_charts`); the pipeline reads what is there
(`generator.upstream.store.load_vendored`) and the emitter copies each archive into
the umbrella chart that depends on it, so ArgoCD and verify need no network.

This package imports nothing at load time: the pipeline imports `store` while
`charts` imports the pipeline.
"""
