/* placeholder */ typedef int cs_placeholder_pad_parse;
