from marshmallow import Schema, fields


class AccountSchema(Schema):
    id = fields.Integer(dump_only=True)
    handle = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    role = fields.Function(lambda user: user.role.value, dump_only=True)
