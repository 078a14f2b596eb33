# English messages: data. Every identifier here is in the other language's data.ftl with the same arguments.
