from ninja import Router

from .activity_api import router as activity_router
from .governance_api import router as governance_router
from .project_api import router as project_router

router = Router(tags=["collective"])
router.add_router("", governance_router)
router.add_router("", activity_router)
router.add_router("", project_router)
