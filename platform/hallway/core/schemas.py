"""Schemas every JSON API shares."""

from marshmallow import Schema, fields


class PageSchema(Schema):
    """The paging fields of a list response; subclasses add ``items``."""

    page = fields.Integer(dump_only=True)
    per_page = fields.Integer(dump_only=True)
    total = fields.Integer(dump_only=True)
    pages = fields.Integer(dump_only=True)
