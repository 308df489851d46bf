from flask_wtf import FlaskForm

from hallway.core.errors import DomainError


def show_field_errors(form: FlaskForm, error: DomainError) -> None:
    """Put a service's refusal next to the fields it concerns, or above the form."""
    placed = False
    for field_name, messages in error.field_errors.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed:
        form.form_errors.append(error.message)
