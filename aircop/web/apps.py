from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "aircop.web"
    label = "web"
