from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprise registry")

    def ready(self):
        from rest_framework.serializers import ModelSerializer

        from .fields import MoneyField, MoneySerializerField

        # Every app's serializers speak money as a decimal string in yuan, never as integer fen.
        ModelSerializer.serializer_field_mapping[MoneyField] = MoneySerializerField
