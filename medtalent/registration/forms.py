"""Forms of registration. They check the shape of what was typed; the services check the rest (username free,
password validators, the unit, the claim) and their errors are put next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.orgs.models import Organisation
from medtalent.people.selectors import employer_choices

PASSWORD_ATTRS = {"autocomplete": "new-password"}


class NewPasswordMixin(forms.Form):
    username = forms.CharField(
        # Translators: 中文：用户名
        label=_("Username"),
        max_length=150,
        # Translators: 中文：字母、数字和 @ . + - _，不超过 150 个字符。
        help_text=_("Letters, digits and @ . + - _ only; at most 150 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    # Translators: 中文：密码
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs=PASSWORD_ATTRS))
    password2 = forms.CharField(
        # Translators: 中文：再次输入密码
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs=PASSWORD_ATTRS),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            # Translators: 中文：两次输入的密码不一致。
            self.add_error("password2", _("The two passwords differ."))
        return data


class InvitationAcceptForm(NewPasswordMixin):
    pass


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        region = obj.region.name if obj.region_id else ""
        return f"{obj.name}（{region}）" if region else obj.name


class UnitSelect(forms.Select):
    """A select that draws only the chosen hospital: the others come from the search box (thousands of them)."""

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value if v}
        groups = []
        for index, (option_value, label) in enumerate(self.choices):
            if str(option_value) in chosen or option_value == "":
                selected = str(option_value) in chosen
                groups.append((None, [self.create_option(name, option_value, label, selected, index)], index))
        return groups


class RegisterForm(NewPasswordMixin):
    # Translators: 中文：姓名
    name = forms.CharField(label=_("Name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    # Translators: 中文：电子邮箱
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    unit = UnitChoiceField(
        # Translators: 中文：所在单位（医院）
        label=_("Your unit (hospital)"),
        queryset=Organisation.objects.none(),
        widget=UnitSelect,
        # Translators: 中文：在搜索框中输入医院名称的一部分，然后从列表中选择。单位确认后，您即成为其工作人员。
        help_text=_("Type part of the hospital's name in the search box, then choose it. Your unit confirms you."),
    )

    field_order = ["name", "email", "unit", "username", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = employer_choices()


class ClaimForm(forms.Form):
    id_number = forms.CharField(
        # Translators: 中文：身份证号码
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        # Translators: 中文：出生日期
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class InviteForm(forms.Form):
    # Translators: 中文：电子邮箱
    email = forms.EmailField(label=_("Email"), required=False)


class RefuseForm(forms.Form):
    # Translators: 中文：拒绝原因
    note = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
