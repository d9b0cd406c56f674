/* placeholder */ typedef int cs_placeholder_notes_reader;
