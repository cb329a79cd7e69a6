"""Variants of an exercise: its numbers drawn again from the ranges and choices of its
`[variants]` table (spec.py), with a seeded generator (draw.py), each draw kept when it meets the
table's conditions (conditions.py) and written back as an exercise file (toml_writer.py) with its
sheets and answer key (files.py, batch.py); quiz.py makes a Moodle quiz of them.

Nothing is imported here: solving an exercise reads spec.py alone (to check the table), and must
not load the renderer or the checker that files.py needs."""
