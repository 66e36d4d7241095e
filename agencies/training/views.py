"""Training pages: the list with its totals, recording an activity, and the activity itself.

Views stay thin: a training comes from `selectors.trainings_visible_to` (anything else answers
404); changes go through `services`, whose errors show next to the fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import TaskForce
from agencies.training import imports, selectors, services
from agencies.training.forms import (
    ParticipantForm,
    ParticipantImportForm,
    TrainerForm,
    TrainingFilterForm,
    TrainingForm,
)
from agencies.training.models import Topic, Training
from aircop.web.shortcuts import add_service_errors, paginate, require


def _task_force_ids(user: Any) -> list[int]:
    if user.is_platform_admin:
        return list(TaskForce.objects.values_list("pk", flat=True))
    return [user.agency.task_force_id]


@require(selectors.can_read_trainings)
def training_list(request: HttpRequest) -> HttpResponse:
    """Activities newest first, with the totals of the chosen period at the top."""
    form = TrainingFilterForm(request.GET or None)
    filters = form.filters()
    trainings = selectors.trainings_visible_to(request.user)
    if filters["start"]:
        trainings = trainings.filter(start__gte=filters["start"])
    if filters["end"]:
        trainings = trainings.filter(start__lte=filters["end"])
    if filters["topic"]:
        trainings = trainings.filter(topics__topic=filters["topic"])
    trainings = (
        trainings.select_related("task_force")
        .prefetch_related("topics")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-start", "-pk")
    )
    totals = selectors.training_totals(
        task_force_ids=_task_force_ids(request.user),
        start=filters["start"] or date.min,
        end=filters["end"] or date.max,
    )
    return render(
        request,
        "training/training_list.html",
        {
            "form": form,
            "page": paginate(request, trainings),
            "query": urlencode(
                {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items() if v}
            ),
            "totals": totals,
            "share_of_women_percent": (
                round(totals.share_of_women * 100) if totals.share_of_women is not None else None
            ),
            "topics_named": [(Topic(code).label, n) for code, n in totals.by_topic.items()],
            "can_record": selectors.can_record_trainings(request.user),
        },
    )


def _training_values(form: TrainingForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {k: data[k] for k in ("kind", "title", "start", "end", "place", "topics", "description")}


@require(selectors.can_record_trainings)
def training_create(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.create_training(actor=request.user, **_training_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training recorded. Add its trainers and participants."))
            return redirect("training-detail", pk=training.pk)
    return render(request, "training/training_form.html", {"form": form, "training": None})


def _visible(request: HttpRequest, pk: int) -> Training:
    return get_object_or_404(
        selectors.trainings_visible_to(request.user).select_related("task_force", "created_by"),
        pk=pk,
    )


def _changeable(request: HttpRequest, pk: int) -> Training:
    training = _visible(request, pk)
    if not selectors.can_change_training(request.user, training):
        raise PermissionDenied
    return training


@require(selectors.can_record_trainings)
def training_update(request: HttpRequest, pk: int) -> HttpResponse:
    training = _changeable(request, pk)
    initial = {
        "kind": training.kind,
        "title": training.title,
        "start": training.start,
        "end": training.end,
        "place": training.place,
        "topics": training.topic_codes,
        "description": training.description,
    }
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_training(
                actor=request.user, training=training, **_training_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training updated."))
            return redirect("training-detail", pk=training.pk)
    return render(request, "training/training_form.html", {"form": form, "training": training})


def _render_detail(
    request: HttpRequest,
    training: Training,
    *,
    trainer_form: TrainerForm | None = None,
    participant_form: ParticipantForm | None = None,
    import_form: ParticipantImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = selectors.can_change_training(request.user, training)
    participants = training.participants.select_related("agency")
    return render(
        request,
        "training/training_detail.html",
        {
            "training": training,
            "trainers": training.trainers.all(),
            "participants": participants,
            "women": sum(1 for p in participants if p.gender == "F"),
            "can_change": can_change,
            "trainer_form": trainer_form or TrainerForm(),
            "participant_form": participant_form
            or ParticipantForm(task_force_id=training.task_force_id),
            "import_form": import_form or ParticipantImportForm(),
        },
        status=status,
    )


@require(selectors.can_read_trainings)
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible(request, pk))


@require_POST
@require(selectors.can_record_trainings)
def trainer_add(request: HttpRequest, pk: int) -> HttpResponse:
    training = _changeable(request, pk)
    form = TrainerForm(request.POST)
    if form.is_valid():
        try:
            services.add_trainer(actor=request.user, training=training, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("training-detail", pk=training.pk)
    return _render_detail(request, training, trainer_form=form, status=400)


@require_POST
@require(selectors.can_record_trainings)
def trainer_remove(request: HttpRequest, pk: int, trainer_pk: int) -> HttpResponse:
    training = _changeable(request, pk)
    services.remove_trainer(
        actor=request.user, trainer=get_object_or_404(training.trainers, pk=trainer_pk)
    )
    return redirect("training-detail", pk=training.pk)


@require_POST
@require(selectors.can_record_trainings)
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    training = _changeable(request, pk)
    form = ParticipantForm(request.POST, task_force_id=training.task_force_id)
    if form.is_valid():
        try:
            services.add_participant(actor=request.user, training=training, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("training-detail", pk=training.pk)
    return _render_detail(request, training, participant_form=form, status=400)


@require_POST
@require(selectors.can_record_trainings)
def participant_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    training = _changeable(request, pk)
    services.remove_participant(
        actor=request.user,
        participant=get_object_or_404(training.participants, pk=participant_pk),
    )
    return redirect("training-detail", pk=training.pk)


# A participants' sheet is a few hundred rows; anything far bigger is not one.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


@require_POST
@require(selectors.can_record_trainings)
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    """All the sheet's participants, or none with each bad row named."""
    training = _changeable(request, pk)
    form = ParticipantImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 2 MB."))
        else:
            try:
                added = imports.import_participants(
                    actor=request.user, training=training, data=upload.read(), file_name=upload.name
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(n)d participants added.") % {"n": len(added)})
                return redirect("training-detail", pk=training.pk)
    return _render_detail(request, training, import_form=form, status=400)
