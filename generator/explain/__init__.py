"""`platformc explain`: one component, resolved, with where every value came from and what
platformc decided for it. Read off the model and the emitted tree, never answered twice."""
