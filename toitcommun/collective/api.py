from ninja import Router

from .governance_api import router as governance_router

router = Router(tags=["collective"])
router.add_router("", governance_router)
