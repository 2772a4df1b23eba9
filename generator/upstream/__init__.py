"""Air-gapped mode: the pinned upstream charts, vendored into the repository.

`platformc vendor` (`generator.commands.vendor`) collects the pins of the
analysed environments and `generator.upstream.charts.vendor_charts` fetches every
pinned chart once into `vendor/charts/`, from its repository or through a mirror
(`mirrors`); the pipeline reads what is there (`generator.upstream.store.load_vendored`)
and the emitter copies each archive into the umbrella chart that depends on it,
so ArgoCD and verify need no network.

Nothing here imports the pipeline: the pipeline imports `store`, and the command
layer hands `vendor_charts` what the pipeline analysed.
"""
