from flask_login import current_user, login_required
from flask_smorest import Blueprint

from hallway.accounts.schemas import AccountSchema

bp = Blueprint("accounts_api", __name__, description="Your account")


@bp.get("/me")
@login_required
@bp.response(200, AccountSchema)
def me():
    """The logged-in member's account."""
    return current_user
