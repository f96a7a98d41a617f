"""The user's notices: the list (newest first, unread highlighted), opening one (read, then its object), marking
all read, and which kinds also come by email. Every page is the user's own: another user's notice is a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from medtalent.accounts.services import user_set_language
from medtalent.notifications import selectors, services
from medtalent.notifications.kinds import notice_kinds

PAGE_SIZE = 50


class NoticeListView(LoginRequiredMixin, View):
    def get(self, request):
        page = Paginator(selectors.notices_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        labels = dict(notice_kinds())
        notices = list(page.object_list)
        for notice in notices:
            notice.kind_label = labels.get(notice.kind, notice.kind)
        return render(request, "notifications/list.html", {"page": page, "notices": notices, "query": ""})


class NoticeOpenView(LoginRequiredMixin, View):
    """Opening a notice marks it read and goes to its object (the list when it links nowhere)."""

    def get(self, request, pk: int):
        notice = selectors.notice_for_user(user=request.user, pk=pk)
        services.notice_open(user=request.user, notice=notice)
        if notice.link and url_has_allowed_host_and_scheme(
            notice.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(notice.link)
        return redirect("notifications:list")


class NoticeReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notices_mark_all_read(user=request.user)
        if count:
            # Translators: 中文：已将全部通知标为已读。
            messages.success(request, _("Every notice is marked read."))
        return redirect("notifications:list")


class NoticeSettingsView(LoginRequiredMixin, View):
    """Which kinds of notice also come by email, and in which language the emails are written."""

    def get(self, request):
        return self._render(request)

    def post(self, request):
        kinds = [setting.kind for setting in selectors.email_settings_for(user=request.user)]
        wanted = set(request.POST.getlist("email"))
        services.email_preferences_set(user=request.user, kinds=kinds, muted=[k for k in kinds if k not in wanted])
        user_set_language(user=request.user, language=request.POST.get("language", ""))
        # Translators: 中文：通知设置已保存。
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notifications:settings")

    def _render(self, request):
        context = {
            "kind_settings": selectors.email_settings_for(user=request.user),
            "languages": settings.LANGUAGES,
            "language": request.user.language or settings.LANGUAGE_CODE,
        }
        return render(request, "notifications/settings.html", context)
