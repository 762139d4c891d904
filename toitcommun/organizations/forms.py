from django import forms

from .models import Membership, Organization


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "municipality", "address", "postal_code", "phone", "email", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.select_related("mrc")


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["full_name", "title", "email", "phone", "is_contact", "start_date"]
        widgets = {"start_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}
