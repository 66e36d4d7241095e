from django.contrib import admin

from agencies.network.models import NetworkTaskForce


@admin.register(NetworkTaskForce)
class NetworkTaskForceAdmin(admin.ModelAdmin):
    list_display = ("airport", "name", "country", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("airport", "name", "country", "agencies")
