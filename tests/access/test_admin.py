from toitcommun.access.models import AuditEvent, Role, RoleAssignment
from toitcommun.access.services import audit_record


def test_admin_assigns_a_role_through_the_service(client, admin_user, nobody, housing_office):
    client.force_login(admin_user)
    response = client.post("/admin/access/roleassignment/add/", {
        "user": nobody.pk, "role": Role.WORKER, "organization": housing_office.pk, "territory_code": ""})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=nobody, role=Role.WORKER).count() == 1
    assert AuditEvent.objects.filter(action="role.assign").count() == 1


def test_admin_revokes_a_role_and_it_is_audited(client, admin_user, office_worker):
    assignment = RoleAssignment.objects.get(user=office_worker)
    client.force_login(admin_user)
    response = client.post(f"/admin/access/roleassignment/{assignment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.get(action="role.revoke").before["role"] == Role.WORKER


def test_the_admin_cannot_change_or_delete_audit_events(client, admin_user):
    client.force_login(admin_user)
    event = audit_record(actor=admin_user, action="x", object_type="y")
    assert client.get("/admin/access/auditevent/").status_code == 200
    assert client.post(f"/admin/access/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_domain_records_are_read_only_in_the_admin(client, admin_user, housing_office):
    client.force_login(admin_user)
    assert client.get(f"/admin/organizations/organization/{housing_office.pk}/change/").status_code == 200
    response = client.post(f"/admin/organizations/organization/{housing_office.pk}/change/", {"name": "Autre"})
    assert response.status_code == 403
    assert client.get("/admin/housing/building/add/").status_code == 403
