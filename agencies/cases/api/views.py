"""The cases API: cases, their timeline, seizures, subjects, attachments, shares and reviews.

Every view under /cases/<id>/ first finds the case among `cases_visible_to(person)`: a case the
person may not see answers 404, whatever is asked of it. What the person may then do with a
case they see (change it, write in it, approve) is the services' to decide: they answer 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.cases import services
from agencies.cases.api.serializers import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    CaseDetailSerializer,
    CaseDocumentSerializer,
    CaseEntryInputSerializer,
    CaseEntrySerializer,
    CaseErrorSerializer,
    CaseOpenInputSerializer,
    CaseQuerySerializer,
    CaseRowSerializer,
    CaseShareInputSerializer,
    CaseShareSerializer,
    CaseStateInputSerializer,
    CaseSubjectSerializer,
    ReviewDecisionInputSerializer,
    ReviewSerializer,
    SeizureInputSerializer,
    SeizureSerializer,
    SubjectChangeInputSerializer,
    SubjectInputSerializer,
    UnshareInputSerializer,
)
from agencies.cases.attachments import add_attachment, read_attachment
from agencies.cases.exports import case_document, record_export
from agencies.cases.models import (
    Attachment,
    CaseEntry,
    CaseFile,
    CaseShare,
    CaseSubject,
    Review,
    Seizure,
)
from agencies.cases.seizures import record_seizure
from agencies.cases.selectors import (
    can_change,
    can_contribute,
    cases_visible_to,
    reviews_awaiting,
    reviews_visible_to,
)
from agencies.models import Agency
from agencies.selectors import agencies_visible_to
from aircop.audit.services import Action, record_event
from targeting.manifests.models import Flight, Traveller
from targeting.manifests.selectors import flights_visible_to, travellers_visible_to
from targeting.triage.models import Decision, Outcome

NOT_FOUND = OpenApiResponse(CaseErrorSerializer, description="No such case among those you see.")
INVALID = OpenApiResponse(
    CaseErrorSerializer, description="A field is missing or not valid; `errors` names it."
)


def _forbidden(description: str) -> OpenApiResponse:
    return OpenApiResponse(CaseErrorSerializer, description=description)


def _invalid(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _case_detail(request: Request, case: CaseFile) -> dict[str, Any]:
    return {
        "id": case.pk,
        **case_document(case),
        "can_change": can_change(request.user, case),
        "can_contribute": can_contribute(request.user, case),
    }


def _audit_read(request: Request, case: CaseFile, what: str) -> None:
    record_event(action=Action.VIEW, actor=request.user, obj=case, reason=f"API {what}")


class CaseScoped(APIView):
    """A view under /cases/<id>/: the case is one the person sees, or the answer is 404."""

    def get_case(self) -> CaseFile:
        case: CaseFile | None = getattr(self, "_case", None)
        if case is None:
            case = get_object_or_404(cases_visible_to(self.request.user), pk=self.kwargs["pk"])
            self._case = case
        return case

    def is_schema(self) -> bool:
        """drf-spectacular builds the schema with a view that has no case to look up."""
        return bool(getattr(self, "swagger_fake_view", False))


# --- Cases ----------------------------------------------------------------------------------


def _travellers(actor: Any, ids: list[int]) -> list[Traveller]:
    found = {t.pk: t for t in travellers_visible_to(actor).filter(pk__in=ids)}
    if set(ids) - set(found):
        # A traveller of another task force and no traveller at all answer alike.
        raise _invalid("travellers", _("A traveller is not of your task force."))
    return [found[pk] for pk in dict.fromkeys(ids)]


def _flights(actor: Any, ids: list[int]) -> list[Flight]:
    found = {f.pk: f for f in flights_visible_to(actor).filter(pk__in=ids)}
    if set(ids) - set(found):
        raise _invalid("flights", _("A flight is not of your task force."))
    return [found[pk] for pk in dict.fromkeys(ids)]


def _positive_control(actor: Any, decision_id: int) -> Decision:
    decision = (
        Decision.objects.filter(
            pk=decision_id,
            kind=Decision.Kind.OUTCOME,
            outcome=Outcome.POSITIVE,
            disposition__traveller__in=travellers_visible_to(actor),
        )
        .select_related("disposition__traveller__flight")
        .first()
    )
    if decision is None:
        raise _invalid("decision", _("Choose a positive control of your task force."))
    return decision


class CaseListView(generics.ListAPIView):
    """The cases of my agency and those shared with it, newest first; and opening a case."""

    serializer_class = CaseRowSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CaseFile]:
        user: Any = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return CaseFile.objects.none()
        query = CaseQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        cases = cases_visible_to(user)
        if given.get("state"):
            cases = cases.filter(state=given["state"])
        if given["mine"]:
            cases = cases.filter(agency_id=user.agency_id)
        if given.get("q", "").strip():
            q = given["q"].strip()
            by_subject = CaseSubject.objects.filter(case=OuterRef("pk"), surname__icontains=q)
            cases = cases.filter(
                Q(number__icontains=q) | Q(title__icontains=q) | Q(Exists(by_subject))
            )
        return cases.order_by("-opened_at", "-pk")

    @extend_schema(
        summary="Cases I may see",
        parameters=[CaseQuerySerializer],
        responses={200: CaseRowSerializer(many=True), 400: INVALID},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.list(request, *args, **kwargs)
        record_event(
            action=Action.VIEW,
            actor=request.user,
            object_label="cases (API list)",
            details={"query": request.GET.urlencode()[:300]},
        )
        return response

    @extend_schema(
        summary="Open a case, by hand or from a positive control",
        request=CaseOpenInputSerializer,
        responses={
            201: CaseDetailSerializer,
            400: INVALID,
            403: _forbidden("Only officers, analysts and supervisors open cases."),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = CaseOpenInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        given = incoming.validated_data
        actor = request.user
        if given.get("decision"):
            decision = _positive_control(actor, given["decision"])
            case = services.open_case_from_decision(actor=actor, decision=decision)
        else:
            case = services.open_case(
                actor=actor,
                title=given["title"],
                summary=given["summary"],
                travellers=_travellers(actor, given["travellers"]),
                flights=_flights(actor, given["flights"]),
            )
        return Response(_case_detail(request, case), status=status.HTTP_201_CREATED)


class CaseDetailView(CaseScoped):
    """Everything a case holds (the export's shape), and what I may do with it."""

    @extend_schema(summary="A case", responses={200: CaseDetailSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        case = self.get_case()
        _audit_read(request, case, "case")
        return Response(_case_detail(request, case))


class CaseStateView(CaseScoped):
    """Open, under investigation, referred to prosecution, closed: the owning agency moves it."""

    @extend_schema(
        summary="Move a case to another state",
        description="Referring to prosecution and closing wait for a supervisor of the owning "
        "agency unless one asks: the answer is then 202 with the review.",
        request=CaseStateInputSerializer,
        responses={
            200: CaseDetailSerializer,
            202: ReviewSerializer,
            400: INVALID,
            403: _forbidden("Only the owning agency's case workers change a case."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        case = self.get_case()
        incoming = CaseStateInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        review = services.change_state(actor=request.user, case=case, **incoming.validated_data)
        if review is not None:
            return Response(ReviewSerializer(review).data, status=status.HTTP_202_ACCEPTED)
        return Response(_case_detail(request, case))


class CaseExportView(CaseScoped):
    """The structured export, the same document as the detail; every export is audited."""

    @extend_schema(
        summary="A case as structured data (aircop-case/1), audited as an export",
        responses={200: CaseDocumentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = self.get_case()
        record_export(actor=request.user, case=case, kind="json")
        response = Response(case_document(case))
        response["Content-Disposition"] = f'attachment; filename="{case.number}.json"'
        return response


# --- Timeline -------------------------------------------------------------------------------


class CaseEntriesView(CaseScoped, generics.ListAPIView):
    """The case's timeline, oldest first; each entry marked with its author's agency."""

    serializer_class = CaseEntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CaseEntry]:
        if self.is_schema():
            return CaseEntry.objects.none()
        return self.get_case().entries.select_related("author", "agency")

    @extend_schema(
        summary="A case's timeline",
        responses={200: CaseEntrySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _audit_read(request, self.get_case(), "entries")
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Add a note or an action to the timeline",
        request=CaseEntryInputSerializer,
        responses={
            201: CaseEntrySerializer,
            400: INVALID,
            403: _forbidden("Only the owning agency and partners of a joint case write in it."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        incoming = CaseEntryInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        entry = services.add_entry(actor=request.user, case=case, **incoming.validated_data)
        return Response(CaseEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


# --- Seizures -------------------------------------------------------------------------------


class SeizuresView(CaseScoped, generics.ListAPIView):
    """What was seized on the case, recorded by the owning agency."""

    serializer_class = SeizureSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Seizure]:
        if self.is_schema():
            return Seizure.objects.none()
        return self.get_case().seizures.select_related("agency", "recorded_by")

    @extend_schema(
        summary="A case's seizures",
        responses={200: SeizureSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a seizure",
        request=SeizureInputSerializer,
        responses={
            201: SeizureSerializer,
            400: INVALID,
            403: _forbidden("Only the owning agency's case workers record seizures."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        incoming = SeizureInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        given = dict(incoming.validated_data)
        flight_id = given.pop("flight")
        flight = None
        if flight_id is not None:
            flight = flights_visible_to(request.user).filter(pk=flight_id).first()
            if flight is None:
                raise _invalid("flight", _("This flight is not of your task force."))
        seizure = record_seizure(actor=request.user, case=case, flight=flight, **given)
        return Response(SeizureSerializer(seizure).data, status=status.HTTP_201_CREATED)


# --- Subjects -------------------------------------------------------------------------------


class SubjectsView(CaseScoped, generics.ListAPIView):
    """The persons of a case: travellers of the task force or persons entered by hand."""

    serializer_class = CaseSubjectSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CaseSubject]:
        if self.is_schema():
            return CaseSubject.objects.none()
        return self.get_case().subjects.all()

    @extend_schema(
        summary="The persons of a case",
        responses={200: CaseSubjectSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _audit_read(request, self.get_case(), "subjects")
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Add a traveller of the task force, or a person entered by hand",
        request=SubjectInputSerializer,
        responses={
            201: CaseSubjectSerializer,
            400: INVALID,
            403: _forbidden("Only the owning agency's case workers add subjects."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        incoming = SubjectInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        given = dict(incoming.validated_data)
        traveller_id = given.pop("traveller", None)
        traveller = None
        if traveller_id is not None:
            traveller = travellers_visible_to(request.user).filter(pk=traveller_id).first()
            if traveller is None:
                raise _invalid("traveller", _("This traveller is not of your task force."))
        subject = services.add_subject(actor=request.user, case=case, traveller=traveller, **given)
        return Response(CaseSubjectSerializer(subject).data, status=status.HTTP_201_CREATED)


class SubjectDetailView(CaseScoped):
    """A person of the case; only what happened to them changes, not who they are."""

    @extend_schema(
        summary="Record what happened to a person: role, arrested, victim, fighter",
        request=SubjectChangeInputSerializer,
        responses={
            200: CaseSubjectSerializer,
            400: INVALID,
            403: _forbidden("Only the owning agency's case workers change subjects."),
            404: NOT_FOUND,
        },
    )
    def patch(self, request: Request, pk: int, subject_id: int) -> Response:
        case = self.get_case()
        subject = get_object_or_404(case.subjects, pk=subject_id)
        subject.case = case
        incoming = SubjectChangeInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subject = services.update_subject(
            actor=request.user, subject=subject, **incoming.validated_data
        )
        return Response(CaseSubjectSerializer(subject).data)


# --- Attachments ----------------------------------------------------------------------------


class AttachmentsView(CaseScoped, generics.ListAPIView):
    """Photos and scanned documents, type and size checked before anything is stored."""

    serializer_class = AttachmentSerializer
    filter_backends: list[Any] = []
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Attachment]:
        if self.is_schema():
            return Attachment.objects.none()
        return self.get_case().attachments.select_related("agency", "uploaded_by")

    @extend_schema(
        summary="A case's photos and scanned documents",
        responses={200: AttachmentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Attach a photo or scanned document (multipart: file, description)",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={
            201: AttachmentSerializer,
            400: OpenApiResponse(
                CaseErrorSerializer,
                description="Not an accepted type, too large, or empty; nothing is stored.",
            ),
            403: _forbidden("Only the owning agency and partners of a joint case attach files."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        incoming = AttachmentInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        given = incoming.validated_data
        try:
            attachment = add_attachment(
                actor=request.user,
                case=case,
                upload=given["file"],
                description=given["description"],
            )
        except DjangoValidationError as error:
            # The service names the upload `upload`; the client sent it as `file`.
            raise serializers.ValidationError(
                {
                    ("file" if field == "upload" else field): [str(m) for m in messages]
                    for field, messages in error.message_dict.items()
                }
            ) from error
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentContentView(CaseScoped):
    """The stored file, to those who see the case; each read is audited."""

    @extend_schema(
        summary="An attachment's file",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="Sent with the type it was stored with."
            ),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int, attachment_id: int) -> FileResponse:
        case = self.get_case()
        attachment = get_object_or_404(case.attachments, pk=attachment_id)
        attachment.case = case
        content = read_attachment(actor=request.user, attachment=attachment)
        response = FileResponse(
            content,
            content_type=attachment.content_type,
            as_attachment=True,
            filename=attachment.name,
        )
        # Never guessed into something a browser would run, never kept by a shared cache.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        # Opened in a browser anyway, whatever the file holds runs nothing.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# --- Shares ---------------------------------------------------------------------------------


class CaseSharesView(CaseScoped, generics.ListAPIView):
    """The agencies a case is shared with, or awaits approval to be, and was."""

    serializer_class = CaseShareSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CaseShare]:
        if self.is_schema():
            return CaseShare.objects.none()
        return self.get_case().shares.select_related("agency", "requested_by")

    @extend_schema(
        summary="A case's shares with other agencies",
        responses={200: CaseShareSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Ask to share a case with an agency of the task force",
        description="A supervisor of the owning agency approves it (at once when one asks).",
        request=CaseShareInputSerializer,
        responses={
            201: CaseShareSerializer,
            400: INVALID,
            403: _forbidden("Only the owning agency's case workers share a case."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        incoming = CaseShareInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        given = incoming.validated_data
        agency: Agency | None = agencies_visible_to(request.user).filter(pk=given["agency"]).first()
        if agency is None:
            raise _invalid("agency", _("Choose an agency of your task force."))
        share = services.request_share(
            actor=request.user, case=case, agency=agency, reason=given["reason"]
        )
        return Response(CaseShareSerializer(share).data, status=status.HTTP_201_CREATED)


class CaseShareDetailView(CaseScoped):
    """A share with a partner agency; unsharing keeps the history in the audit trail."""

    @extend_schema(
        summary="Unshare: the agency loses access from now on",
        request=UnshareInputSerializer,
        responses={
            200: CaseShareSerializer,
            400: INVALID,
            403: _forbidden("Only a supervisor of the owning agency unshares a case."),
            404: NOT_FOUND,
        },
    )
    def delete(self, request: Request, pk: int, share_id: int) -> Response:
        case = self.get_case()
        share = get_object_or_404(case.shares.select_related("agency", "requested_by"), pk=share_id)
        share.case = case
        incoming = UnshareInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        share = services.unshare(actor=request.user, share=share, **incoming.validated_data)
        return Response(CaseShareSerializer(share).data)


# --- Reviews --------------------------------------------------------------------------------


def _review(user: Any, pk: int) -> Review:
    """A review of my agency's own cases: any other answers 404, as its case would."""
    return get_object_or_404(reviews_visible_to(user), pk=pk)


class ReviewListView(generics.ListAPIView):
    """A supervisor's queue: shares and changes of state of their agency's cases, oldest first."""

    serializer_class = ReviewSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Review]:
        return reviews_awaiting(self.request.user).select_related(
            "share__requested_by", "decided_by"
        )

    @extend_schema(
        summary="Reviews awaiting me (supervisors)",
        responses={200: ReviewSerializer(many=True)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class ReviewApproveView(APIView):
    """A supervisor of the owning agency approves; the share or the state takes effect."""

    @extend_schema(
        summary="Approve a share or a change of state",
        request=ReviewDecisionInputSerializer,
        responses={
            200: ReviewSerializer,
            400: INVALID,
            403: _forbidden("Only a supervisor of the owning agency approves."),
            404: OpenApiResponse(CaseErrorSerializer, description="Not a review of my agency."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        review = _review(request.user, pk)
        incoming = ReviewDecisionInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        review = services.approve(actor=request.user, review=review, **incoming.validated_data)
        return Response(ReviewSerializer(review).data)


class ReviewSendBackView(APIView):
    """A supervisor of the owning agency sends it back with a comment; nothing changes."""

    @extend_schema(
        summary="Send a share or a change of state back, saying why",
        request=ReviewDecisionInputSerializer,
        responses={
            200: ReviewSerializer,
            400: INVALID,
            403: _forbidden("Only a supervisor of the owning agency sends back."),
            404: OpenApiResponse(CaseErrorSerializer, description="Not a review of my agency."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        review = _review(request.user, pk)
        incoming = ReviewDecisionInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        review = services.send_back(actor=request.user, review=review, **incoming.validated_data)
        return Response(ReviewSerializer(review).data)
