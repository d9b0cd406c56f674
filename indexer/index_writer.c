/* placeholder */ typedef int cs_placeholder_index_writer;
