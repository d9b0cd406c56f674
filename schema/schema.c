/* placeholder */ typedef int cs_placeholder_schema;
