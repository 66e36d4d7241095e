from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import forms, selectors, services
from agencies.models import Airport, ProviderToken
from aircop.api.selectors import personal_tokens_of
from aircop.api.services import create_personal_token, revoke_personal_token
from aircop.web.shortcuts import add_service_errors, paginate, require

platform_admin_only = require(selectors.is_platform_admin)
can_onboard_people = require(
    lambda u: selectors.is_platform_admin(u) or selectors.is_agency_admin(u)
)


# --- Task forces, agencies, airports (platform admin) ---------------------------------------


@login_required
def task_force_list(request: HttpRequest) -> HttpResponse:
    task_forces = selectors.task_forces_visible_to(request.user).prefetch_related("agencies")
    return render(request, "agencies/task_force_list.html", {"task_forces": task_forces})


@platform_admin_only
def task_force_create(request: HttpRequest) -> HttpResponse:
    form = forms.TaskForceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task_force = services.create_task_force(
                actor=request.user,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
                country=form.cleaned_data["country"],
                airport_codes=[a.iata_code for a in form.cleaned_data["airports"]],
                status=form.cleaned_data["status"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Task force %(code)s created.") % {"code": task_force.code})
            return redirect("task-force-detail", pk=task_force.pk)
    return render(
        request,
        "agencies/form_page.html",
        {
            "form": form,
            "title": _("New task force"),
            "submit": _("Create task force"),
        },
    )


@login_required
def task_force_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task_force = get_object_or_404(selectors.task_forces_visible_to(request.user), pk=pk)
    is_admin = selectors.is_platform_admin(request.user)
    agency_form = forms.AgencyForm(prefix="agency")
    status_form = forms.TaskForceStatusForm(prefix="status", initial={"status": task_force.status})
    if request.method == "POST":
        if not is_admin:
            raise Http404
        if "agency-name" in request.POST:
            agency_form = forms.AgencyForm(request.POST, prefix="agency")
            if agency_form.is_valid():
                try:
                    agency = services.create_agency(
                        actor=request.user, task_force=task_force, **agency_form.cleaned_data
                    )
                except ValidationError as err:
                    add_service_errors(agency_form, err)
                else:
                    messages.success(request, _("Agency %(code)s added.") % {"code": agency.code})
                    return redirect("task-force-detail", pk=task_force.pk)
        else:
            status_form = forms.TaskForceStatusForm(request.POST, prefix="status")
            if status_form.is_valid():
                try:
                    services.set_task_force_status(
                        actor=request.user,
                        task_force=task_force,
                        status=status_form.cleaned_data["status"],
                    )
                except ValidationError as err:
                    add_service_errors(status_form, err)
                else:
                    messages.success(request, _("Status changed."))
                    return redirect("task-force-detail", pk=task_force.pk)
    agencies = task_force.agencies.all()
    return render(
        request,
        "agencies/task_force_detail.html",
        {
            "task_force": task_force,
            "agencies": agencies,
            "is_platform_admin": is_admin,
            "agency_form": agency_form,
            "status_form": status_form,
        },
    )


@platform_admin_only
def airport_list(request: HttpRequest) -> HttpResponse:
    form = forms.AirportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            airport = services.create_airport(actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Airport %(code)s added.") % {"code": airport.iata_code})
            return redirect("airport-list")
    airports = paginate(request, Airport.objects.all(), per_page=100)
    return render(request, "agencies/airport_list.html", {"page": airports, "form": form})


# --- People (platform admin, agency admin) --------------------------------------------------


@can_onboard_people
def people_list(request: HttpRequest) -> HttpResponse:
    agencies = selectors.agencies_manageable_by(request.user)
    form = forms.InvitationForm(request.POST or None, agencies=agencies)
    invitation_link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invite_person(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            invitation_link = request.build_absolute_uri(reverse("accept-invitation", args=[token]))
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            form = forms.InvitationForm(agencies=agencies)
    people = paginate(request, selectors.people_manageable_by(request.user))
    invitations = selectors.invitations_visible_to(request.user).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    return render(
        request,
        "agencies/people_list.html",
        {
            "page": people,
            "invitations": invitations,
            "form": form,
            "invitation_link": invitation_link,
        },
    )


@can_onboard_people
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(selectors.people_manageable_by(request.user), pk=pk)
    form = forms.RolesForm(request.POST or None, initial={"roles": sorted(person.role_codes)})
    if request.method == "POST":
        try:
            if "is_active" in request.POST:
                services.set_person_active(
                    actor=request.user, person=person, is_active=request.POST["is_active"] == "1"
                )
                messages.success(request, _("Account updated."))
                return redirect("person-detail", pk=person.pk)
            if form.is_valid():
                services.set_roles(
                    actor=request.user, person=person, roles=form.cleaned_data["roles"]
                )
                messages.success(request, _("Roles saved."))
                return redirect("person-detail", pk=person.pk)
        except ValidationError as err:
            add_service_errors(form, err)
    return render(request, "agencies/person_detail.html", {"person": person, "form": form})


@require_POST
@can_onboard_people
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(selectors.invitations_visible_to(request.user), pk=pk)
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation revoked."))
    return redirect("people-list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "agencies/invitation_invalid.html", status=404)
    form = forms.AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.accept_invitation(
                token=token,
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Your account is ready. Sign in."))
            return redirect("login")
    return render(
        request, "agencies/invitation_accept.html", {"invitation": invitation, "form": form}
    )


# --- Data providers (platform admin) --------------------------------------------------------


@platform_admin_only
def provider_list(request: HttpRequest) -> HttpResponse:
    form = forms.DataProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider = services.create_data_provider(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                task_force_codes=[tf.code for tf in data["task_forces"]],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Provider %(code)s added.") % {"code": provider.code})
            return redirect("provider-detail", pk=provider.pk)
    providers = selectors.data_providers_visible_to(request.user)
    return render(request, "agencies/provider_list.html", {"providers": providers, "form": form})


@platform_admin_only
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(selectors.data_providers_visible_to(request.user), pk=pk)
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            _token, new_key = services.issue_provider_token(
                actor=request.user, provider=provider, name=request.POST.get("name", "")
            )
        elif action == "rotate":
            _token, new_key = services.rotate_provider_token(actor=request.user, provider=provider)
        elif action == "revoke":
            token = get_object_or_404(
                ProviderToken.objects.filter(provider=provider), prefix=request.POST.get("prefix")
            )
            services.revoke_provider_token(actor=request.user, token=token)
            messages.success(request, _("Token %(p)s revoked.") % {"p": token.prefix})
            return redirect("provider-detail", pk=provider.pk)
    return render(
        request,
        "agencies/provider_detail.html",
        {
            "provider": provider,
            "tokens": selectors.provider_tokens_for(provider),
            "new_key": new_key,
        },
    )


# --- The person's own profile ---------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = forms.PersonalTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token = get_object_or_404(
                personal_tokens_of(request.user), prefix=request.POST.get("prefix")
            )
            revoke_personal_token(person=request.user, token=token)
            messages.success(request, _("Token %(p)s revoked.") % {"p": token.prefix})
            return redirect("profile")
        if form.is_valid():
            try:
                _token, new_key = create_personal_token(
                    person=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=form.cleaned_data["expiry_date"],
                )
            except ValidationError as err:
                add_service_errors(form, err)
            else:
                form = forms.PersonalTokenForm()
    return render(
        request,
        "agencies/profile.html",
        {
            "tokens": personal_tokens_of(request.user),
            "form": form,
            "new_key": new_key,
        },
    )
