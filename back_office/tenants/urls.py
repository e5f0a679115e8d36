from django.urls import path

from back_office.tenants.views import InvitationView

urlpatterns = [
    path(
        "invitations/<slug:slug>/<str:token>/",
        InvitationView.as_view(),
        name="tenants_invitation",
    ),
]
