"""Page sizes a URL may ask for: django-tables2 reads ?per_page= itself (RequestConfig, past the view's choices), so the
paginator is where the choices hold."""

from collections.abc import Sequence

from django.core.paginator import Paginator


class ChoicePaginator(Paginator):
    """A paginator whose page size is one of `per_page_choices`: any other size (?per_page=1, -1, 0, 10**9) gives
    the first choice, the default."""

    def __init__(self, object_list, per_page, *args, per_page_choices: Sequence[int], **kwargs):
        per_page = per_page if per_page in per_page_choices else per_page_choices[0]
        super().__init__(object_list, per_page, *args, **kwargs)
