# Chinese messages: formula. Every identifier here is in the other language's formula.ftl with the same arguments.
