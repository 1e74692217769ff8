"""The association portal (`associations`): its home, notifications and calendar are the
portal's own pages; the grant pages are grants' (`grants.portal.urls`), in the same
namespace."""

from django.urls import include, path

from portal import home, notifications

app_name = "associations"

urlpatterns = [
    path("", home.home, name="home"),
    path("calendar/rotate/", home.calendar_rotate, name="calendar_rotate"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("", include("grants.portal.urls")),
]
