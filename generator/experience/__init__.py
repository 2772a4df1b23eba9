"""What a platform engineer meets beyond validate and render: diff, graph, explain, init.

These modules sit beside the CLI, not in the pipeline: they take the results of
the stages (a Platform, a RenderedTree) and shape them for a person or a tool.
"""
