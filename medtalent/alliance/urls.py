from django.urls import path

from medtalent.alliance import views

app_name = "alliance"
urlpatterns = [
    path("alliance/", views.DirectoryView.as_view(), name="directory"),
    path("alliance/events/", views.EventCalendarView.as_view(), name="events"),
    path("alliance/events/<slug:code>/", views.EventDetailView.as_view(), name="event"),
    path("alliance/committees/<slug:code>/", views.CommitteeDetailView.as_view(), name="committee"),
    # The secretariat's pages (alliance.manage).
    path("alliance/manage/", views.ManageView.as_view(), name="manage"),
    path("alliance/manage/members/", views.MembershipListView.as_view(), name="members"),
    path("alliance/manage/members/add/", views.MembershipAddView.as_view(), name="member_add"),
    path("alliance/manage/members/<int:pk>/", views.MembershipEditView.as_view(), name="member_edit"),
    path("alliance/manage/members/<int:pk>/remove/", views.MembershipRemoveView.as_view(), name="member_remove"),
    path("alliance/manage/events/add/", views.EventAddView.as_view(), name="event_add"),
    path("alliance/manage/events/<slug:code>/", views.EventEditView.as_view(), name="event_edit"),
]
