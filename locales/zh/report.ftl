# Chinese messages: report. Every identifier here is in the other language's report.ftl with the same arguments.
