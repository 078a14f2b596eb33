# English messages: pipeline. Every identifier here is in the other language's pipeline.ftl with the same arguments.
