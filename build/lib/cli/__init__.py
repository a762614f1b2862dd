"""The composition root: the operator's command line (`tocongnghe`, `python -m cli`) and the
assembly of the service (cli.app).

This is the one place that imports every layer: webhook and scheduler (which never import each
other), bot, db and config. Nothing imports cli.
"""
