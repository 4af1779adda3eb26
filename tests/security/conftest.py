from tests.app.conftest import PASSWORD, admin_desk, open_as, workspace

__all__ = ["PASSWORD", "admin_desk", "open_as", "workspace"]
