from django.apps import AppConfig


class PlainFlowConfig(AppConfig):
    name = "plainflow"
    label = "plainflow"
