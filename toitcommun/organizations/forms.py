from django import forms
from django.utils.translation import gettext_lazy as _

from toitcommun.territory.forms import MunicipalityField

from .models import Membership, Organization


class OrganizationForm(forms.ModelForm):
    municipality = MunicipalityField(label=_("Municipalité"), required=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "municipality", "address", "postal_code", "phone", "email", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["full_name", "title", "email", "phone", "is_contact", "start_date"]
        widgets = {"start_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}
