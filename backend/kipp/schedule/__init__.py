"""The presentation schedule (Tahapan III): slots, the automatic fill, calendars, letters."""
