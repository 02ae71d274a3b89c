"""Base inlines for the child tables of the sheet's one-page admin (django-nested-admin).

Every child table normalises browser line breaks (forms.NewlineNormalisingForm) and shows no empty extra rows.
"""

import nested_admin

from evalsheets.lib.forms import NewlineNormalisingForm


class ChildTabularInline(nested_admin.NestedTabularInline):
    form = NewlineNormalisingForm
    extra = 0


class ChildStackedInline(nested_admin.NestedStackedInline):
    form = NewlineNormalisingForm
    extra = 0
