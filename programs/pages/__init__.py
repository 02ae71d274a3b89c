"""One module per page: <page>_context(...) calls selectors → analytics → charts and returns what the template needs."""
