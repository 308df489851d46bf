from marshmallow import Schema, fields


class MemberRefSchema(Schema):
    """Who wrote or did something: the public handle and name, nothing else."""

    id = fields.Integer(dump_only=True)
    handle = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)


class AccountSchema(MemberRefSchema):
    role = fields.Function(lambda user: user.role.value, dump_only=True)


class AccountExportSchema(AccountSchema):
    """The account in its owner's "Download my data" (never the password hash)."""

    email = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_login_at = fields.DateTime(dump_only=True)
