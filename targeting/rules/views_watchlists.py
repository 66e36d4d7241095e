"""Watchlist pages: the lists a person may see, their entries, changes with reasons, a name search.

Every page that shows entries shows personal data and writes an audit record. A list the person
may not see answers 404; a list of another agency that they may see is read-only.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.selectors import is_agency_member
from aircop.audit.services import Action, record_event
from aircop.web.shortcuts import add_service_errors, paginate, require
from targeting.rules import search, selectors, watchlists
from targeting.rules.models import Visibility, Watchlist, WatchlistEntry


def _can_keep_lists(user: Any) -> bool:
    return is_agency_member(user) and (user.has_role("analyst") or user.has_role("supervisor"))


# -- forms ------------------------------------------------------------------------------------


class WatchlistForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Watchlist.Kind.choices)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visible to"), choices=Visibility.choices, initial=Visibility.AGENCY
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Match threshold"),
        min_value=50,
        max_value=100,
        initial=85,
        help_text=gettext_lazy("Name matches scoring below this are not hits."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WatchlistSettingsForm(forms.Form):
    visibility = forms.ChoiceField(label=gettext_lazy("Visible to"), choices=Visibility.choices)
    threshold = forms.IntegerField(
        label=gettext_lazy("Match threshold"), min_value=50, max_value=100
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active (used in screening)"), required=False)
    why = forms.CharField(label=gettext_lazy("Why this change"), max_length=500)


class EntryForm(forms.ModelForm):
    """An entry's fields; `why` is the reason for the change, kept in the entry's history."""

    aliases = forms.CharField(
        label=gettext_lazy("Aliases"),
        required=False,
        help_text=gettext_lazy("Other names in any script, separated by ;"),
    )
    why = forms.CharField(label=gettext_lazy("Why this change"), max_length=500, required=False)

    class Meta:
        model = WatchlistEntry
        fields = [
            "full_name",
            "surname",
            "given_names",
            "aliases",
            "birth_date",
            "nationality",
            "document_type",
            "document_number",
            "issuing_state",
            "category",
            "action",
            "source",
            "source_reference",
            "reason",
            "valid_until",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"birth_date": gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["why"].required = True
            self.initial["aliases"] = "; ".join(self.instance.aliases)
        else:
            del self.fields["why"]

    def clean_aliases(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data["aliases"].split(";") if a.strip()]


class ReasonForm(forms.Form):
    why = forms.CharField(
        label=gettext_lazy("Why is the entry removed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "Columns: name (or surname and given_names), aliases (;-separated), birth_date, "
            "nationality, document_type, document_number, issuing_state, category, reason; "
            "other columns are kept as notes. If any row is wrong nothing is stored."
        ),
    )


class NameSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    birth_date = forms.CharField(
        label=gettext_lazy("Birth date"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Threshold"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("Leave empty for each list's own threshold."),
    )

    def clean_birth_date(self) -> str:
        value: str = self.cleaned_data["birth_date"].strip()
        try:
            search.matching.parse_birth_date(value or None)
        except ValueError as err:
            raise ValidationError(
                _("'%(value)s' is not a date as YYYY, YYYY-MM or YYYY-MM-DD."),
                params={"value": value},
            ) from err
        return value


# -- list settings service ----------------------------------------------------------------------
# It belongs with the other services in watchlists.py; it lives here until that module is free.


@transaction.atomic
# -- pages ---------------------------------------------------------------------------------------


@require(is_agency_member)
def watchlist_list(request: HttpRequest) -> HttpResponse:
    """The lists the person may see, with their owner, kind, visibility and size."""
    lists = selectors.watchlists_visible_to(request.user).annotate(
        entries_count=Count("entries", filter=Q(entries__is_active=True))
    )
    editable = set(selectors.watchlists_editable_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "watchlists/watchlist_list.html",
        {"lists": lists, "editable": editable, "can_create": _can_keep_lists(request.user)},
    )


@require(_can_keep_lists)
def watchlist_create(request: HttpRequest) -> HttpResponse:
    person: Any = request.user  # signed in with an agency: `require` saw to it
    form = WatchlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watchlist = watchlists.create_watchlist(
                actor=person, agency=person.agency, **form.cleaned_data
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("List %(name)s created.") % {"name": watchlist.name})
            return redirect("watchlist-detail", pk=watchlist.pk)
    return render(request, "watchlists/watchlist_form.html", {"form": form})


def _visible_list(request: HttpRequest, pk: int) -> Watchlist:
    return get_object_or_404(selectors.watchlists_visible_to(request.user), pk=pk)


def _editable_list(request: HttpRequest, pk: int) -> Watchlist:
    """A list the person keeps; one they may only read, or not see, does not exist here."""
    return get_object_or_404(selectors.watchlists_editable_by(request.user), pk=pk)


def _entries_matching(entries: QuerySet[WatchlistEntry], query: str) -> QuerySet[WatchlistEntry]:
    """Entries whose name, alias or document number contains the query."""
    if not query:
        return entries
    number = query.replace(" ", "").upper()
    return entries.annotate(alias_text=Cast("aliases", TextField())).filter(
        Q(full_name__icontains=query)
        | Q(surname__icontains=query)
        | Q(given_names__icontains=query)
        | Q(alias_text__icontains=query)
        | Q(document_number__icontains=number)
    )


@require(is_agency_member)
def watchlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A list's entries, searchable by name or document number; personal data, so audited."""
    watchlist = _visible_list(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    show_removed = request.GET.get("removed") == "1"
    entries = watchlist.entries.all()
    if not show_removed:
        entries = entries.filter(is_active=True)
    page = paginate(request, _entries_matching(entries, query))
    record_event(
        action=Action.VIEW,
        actor=request.user,
        obj=watchlist,
        reason="watchlist entries",
        details={
            "page": page.number,
            "query": query,
            "entries": [e.pk for e in page.object_list],
        },
    )
    params = urlencode(
        {k: v for k, v in (("q", query), ("removed", "1" if show_removed else "")) if v}
    )
    return render(
        request,
        "watchlists/watchlist_detail.html",
        {
            "watchlist": watchlist,
            "page": page,
            "q": query,
            "show_removed": show_removed,
            "query": params,
            "can_edit": selectors.watchlists_editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@require(_can_keep_lists)
def watchlist_settings(request: HttpRequest, pk: int) -> HttpResponse:
    watchlist = _editable_list(request, pk)
    form = WatchlistSettingsForm(
        request.POST or None,
        initial={
            "visibility": watchlist.visibility,
            "threshold": watchlist.threshold,
            "description": watchlist.description,
            "is_active": watchlist.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            watchlists.change_watchlist_settings(
                actor=request.user,
                watchlist=watchlist,
                visibility=data["visibility"],
                threshold=data["threshold"],
                description=data["description"],
                is_active=data["is_active"],
                reason=data["why"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("watchlist-detail", pk=watchlist.pk)
    return render(
        request, "watchlists/watchlist_settings.html", {"watchlist": watchlist, "form": form}
    )


@require(_can_keep_lists)
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    watchlist = _editable_list(request, pk)
    form = EntryForm(request.POST or None, instance=WatchlistEntry(watchlist=watchlist))
    if request.method == "POST" and form.is_valid():
        try:
            watchlists.save_entry(actor=request.user, entry=form.instance, reason="added")
        except ValidationError as err:
            add_service_errors(cast(forms.Form, form), err)  # same API
        else:
            messages.success(request, _("Entry added."))
            return redirect("watchlist-detail", pk=watchlist.pk)
    return render(
        request, "watchlists/entry_form.html", {"watchlist": watchlist, "form": form, "entry": None}
    )


def _editable_entry(request: HttpRequest, pk: int) -> WatchlistEntry:
    """An entry of a list the person keeps; 404 if they may only read it or not see it."""
    entry = get_object_or_404(
        selectors.entries_visible_to(request.user).select_related("watchlist__agency"), pk=pk
    )
    if not selectors.watchlists_editable_by(request.user).filter(pk=entry.watchlist_id).exists():
        raise Http404
    return entry


@require(_can_keep_lists)
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            watchlists.save_entry(
                actor=request.user, entry=form.instance, reason=form.cleaned_data["why"]
            )
        except ValidationError as err:
            add_service_errors(cast(forms.Form, form), err)  # same API
        else:
            messages.success(request, _("Entry changed."))
            return redirect("watchlist-detail", pk=entry.watchlist_id)
    else:
        record_event(action=Action.VIEW, actor=request.user, obj=entry, reason="entry edit form")
    return render(
        request,
        "watchlists/entry_form.html",
        {"watchlist": entry.watchlist, "form": form, "entry": entry},
    )


@require(_can_keep_lists)
def entry_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watchlists.deactivate_entry(
                actor=request.user, entry=entry, reason=form.cleaned_data["why"]
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Entry removed from screening."))
            return redirect("watchlist-detail", pk=entry.watchlist_id)
    return render(request, "watchlists/entry_deactivate.html", {"entry": entry, "form": form})


@require(_can_keep_lists)
def watchlist_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file's rows to the list, or nothing: each bad row is listed by its number."""
    watchlist = _editable_list(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > settings.INGEST_MAX_BYTES:
            form.add_error(
                "file",
                _("The file is %(size)d bytes; the limit is %(limit)d.")
                % {"size": uploaded.size, "limit": settings.INGEST_MAX_BYTES},
            )
        else:
            try:
                count = watchlists.import_watchlist(
                    actor=request.user,
                    watchlist=watchlist,
                    data=uploaded.read(),
                    file_name=uploaded.name or "",
                )
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("%(count)d entries imported.") % {"count": count})
                return redirect("watchlist-detail", pk=watchlist.pk)
    return render(
        request, "watchlists/watchlist_import.html", {"watchlist": watchlist, "form": form}
    )


# Stamped on every save; a change of them alone says nothing to a reader.
_UNTOLD_FIELDS = ("created_at", "updated_at")


def _with_changes(records: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Each history record (newest first) with what it changed against the one before it."""
    return [
        (
            record,
            list(record.diff_against(older, excluded_fields=_UNTOLD_FIELDS).changes)
            if older is not None
            else [],
        )
        for record, older in zip(records, [*records[1:], None], strict=True)
    ]


@require(is_agency_member)
def entry_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the entry, when, why and what; personal data, so audited."""
    entry = get_object_or_404(
        selectors.entries_visible_to(request.user).select_related("watchlist__agency"), pk=pk
    )
    records = list(entry.history.select_related("history_user").order_by("-history_date"))
    record_event(action=Action.VIEW, actor=request.user, obj=entry, reason="entry history")
    return render(
        request,
        "watchlists/entry_history.html",
        {
            "entry": entry,
            "watchlist": entry.watchlist,
            "records": _with_changes(records),
        },
    )


@require(is_agency_member)
def name_search(request: HttpRequest) -> HttpResponse:
    """Search a name on every list the person may see, as screening would; audited."""
    form = NameSearchForm(request.GET if "name" in request.GET else None)
    matches = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        matches = search.search_watchlists(
            actor=request.user,
            name=data["name"],
            birth_date=data["birth_date"],
            threshold=data["threshold"],
        )
    return render(request, "watchlists/name_search.html", {"form": form, "matches": matches})
