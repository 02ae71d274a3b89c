"""Base inlines for the child tables of the sheet's one-page admin (django-nested-admin).

Every child table normalises browser line breaks (forms.NewlineNormalisingForm) and shows no empty extra rows. A
child row may be added, changed or deleted exactly when its sheet may be changed (the sheet admin's
has_change_permission for that sheet: the workflow and the editor's 課 decide), whatever the child model's own
permissions say.
"""

import nested_admin

from evalsheets.lib.forms import NewlineNormalisingForm


class ParentDecidesPermissions:
    def _parent_allows(self, request, obj) -> bool:
        if obj is None:
            return True
        parent = getattr(obj, "sheet", obj)  # a nested inline gets its own parent row (an indicator): its sheet decides
        parent_admin = self.admin_site._registry.get(type(parent))
        return parent_admin is None or parent_admin.has_change_permission(request, parent)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj)


class ChildTabularInline(ParentDecidesPermissions, nested_admin.NestedTabularInline):
    form = NewlineNormalisingForm
    extra = 0


class ChildStackedInline(ParentDecidesPermissions, nested_admin.NestedStackedInline):
    form = NewlineNormalisingForm
    extra = 0
