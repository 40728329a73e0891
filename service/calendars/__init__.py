"""Calendar feeds: a person's follow-ups, check-ins and mentorship meetings as iCalendar."""
