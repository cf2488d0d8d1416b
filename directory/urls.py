from django.contrib.auth import views as auth_views
from django.urls import path

from directory import (
    views,
    views_access,
    views_account,
    views_accounts_admin,
    views_directory,
    views_organizations,
    views_second_factor,
    views_territories,
)

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mon-compte/", views.account, name="account"),
    path("mon-compte/profil/", views_account.profile_edit, name="account_edit"),
    path("mon-compte/adresse-email/", views_account.email_change, name="email_change"),
    path(
        "mon-compte/adresse-email/<str:token>/",
        views_account.email_change_confirm,
        name="email_change_confirm",
    ),
    path("mon-compte/fermer/", views_account.account_close, name="account_close"),
    path("connexion/verification/", views_second_factor.verify, name="second_factor_verify"),
    path(
        "mon-compte/double-authentification/",
        views_second_factor.enrol,
        name="second_factor_enrol",
    ),
    path(
        "mon-compte/double-authentification/codes-de-secours/",
        views_second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path(
        "mon-compte/double-authentification/nouveaux-codes/",
        views_second_factor.regenerate_recovery_codes,
        name="second_factor_regenerate_codes",
    ),
    path("territoires/recherche/", views_territories.autocomplete, name="territory_autocomplete"),
    path("charte/", views.charter, name="charter"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("mon-compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mon-compte/mot-de-passe/modifie/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

# The directory ("Annuaire") and the administration of accounts.
urlpatterns += [
    path("annuaire/", views_directory.directory_index, name="directory_index"),
    path("annuaire/roles/", views_directory.role_matrix, name="directory_roles"),
    path(
        "annuaire/organisations/<int:pk>/",
        views_directory.organization_detail,
        name="directory_organization",
    ),
    path(
        "annuaire/organisations/ajouter/",
        views_organizations.organization_create,
        name="directory_organization_create",
    ),
    path(
        "annuaire/organisations/<int:pk>/modifier/",
        views_organizations.organization_edit,
        name="directory_organization_edit",
    ),
    path(
        "annuaire/organisations/<int:pk>/desactiver/",
        views_organizations.organization_deactivate,
        name="directory_organization_deactivate",
    ),
    path(
        "annuaire/organisations/<int:pk>/reactiver/",
        views_organizations.organization_reactivate,
        name="directory_organization_reactivate",
    ),
    path("annuaire/personnes/<int:pk>/", views_directory.person_detail, name="directory_person"),
    path(
        "annuaire/personnes/<int:pk>/connexions/",
        views_account.person_sign_ins,
        name="directory_person_sign_ins",
    ),
    path(
        "annuaire/personnes/<int:pk>/anonymiser/",
        views_account.person_anonymize,
        name="directory_person_anonymize",
    ),
    path(
        "annuaire/personnes/<int:pk>/desactiver/",
        views_directory.person_deactivate,
        name="directory_person_deactivate",
    ),
    path(
        "annuaire/personnes/<int:pk>/reactiver/",
        views_directory.person_reactivate,
        name="directory_person_reactivate",
    ),
    path(
        "annuaire/personnes/<int:pk>/role/",
        views_directory.person_change_role,
        name="directory_person_role",
    ),
    path(
        "annuaire/personnes/<int:pk>/options/",
        views_directory.person_change_options,
        name="directory_person_options",
    ),
    path(
        "annuaire/personnes/<int:pk>/territoire/",
        views_directory.person_change_area,
        name="directory_person_area",
    ),
    path(
        "annuaire/personnes/<int:pk>/commentaires/",
        views_directory.person_edit_comments,
        name="directory_person_comments",
    ),
]

# Access requests: public form, administrators' screens, account activation.
urlpatterns += [
    path("demande-acces/", views_access.access_request_create, name="access_request_create"),
    path("demande-acces/envoyee/", views_access.access_request_done, name="access_request_done"),
    path(
        "administration/demandes-acces/",
        views_access.access_request_list,
        name="access_request_list",
    ),
    path(
        "administration/demandes-acces/<int:pk>/",
        views_access.access_request_detail,
        name="access_request_detail",
    ),
    path(
        "administration/demandes-acces/<int:pk>/approuver/",
        views_access.access_request_approve,
        name="access_request_approve",
    ),
    path(
        "administration/demandes-acces/<int:pk>/refuser/",
        views_access.access_request_refuse,
        name="access_request_refuse",
    ),
    path(
        "administration/demandes-acces/<int:pk>/renvoyer-le-lien/",
        views_access.access_request_resend,
        name="access_request_resend",
    ),
    path("activation/<str:token>/", views_access.account_activate, name="account_activate"),
]

# The administrators' daily tools on the accounts of their territory.
urlpatterns += [
    path("administration/comptes/", views_accounts_admin.account_list, name="accounts_admin_list"),
    path(
        "administration/comptes/creer/",
        views_accounts_admin.account_create,
        name="accounts_admin_create",
    ),
    path(
        "administration/comptes/export/",
        views_accounts_admin.account_export,
        name="accounts_admin_export",
    ),
    path(
        "administration/comptes/relancer/",
        views_accounts_admin.account_remind,
        name="accounts_admin_remind",
    ),
    path(
        "administration/exceptions-de-permissions/",
        views_accounts_admin.permission_exceptions,
        name="permission_exceptions",
    ),
]
