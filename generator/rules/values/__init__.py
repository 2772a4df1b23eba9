"""Pure judgements of values: strings, numbers and lists in, problems out.

Nothing here knows the platform's shape: each function takes the plain values a
rule reads from the model (an expression, a capability name, a list of args) and
returns what is wrong with them, so any model can call it and a unit test needs
no platform.
"""
