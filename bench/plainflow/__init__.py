"""A plain viewflow 2.4 flow with nothing of ours: the baseline a Tidu decision is measured against.

Installed as an app only while ``bench/bench_decisions.py`` runs (viewflow locates a flow
by the app that contains it); it has no models of its own.
"""
