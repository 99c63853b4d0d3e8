<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ApproveConfirmation</name>
    <message numerus="yes">
        <source>%1 carries %n red flag(s):</source>
        <translation>
            <numerusform>%1 carries %n red flag:</numerusform>
            <numerusform>%1 carries %n red flags:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeviceGallery</name>
    <message numerus="yes">
        <source>%1: %n screenshot(s)</source>
        <translation>
            <numerusform>%1: %n screenshot</numerusform>
            <numerusform>%1: %n screenshots</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n screenshot(s)</source>
        <translation>
            <numerusform>%n screenshot</numerusform>
            <numerusform>%n screenshots</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n device</numerusform>
            <numerusform>%n devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n store-listing image(s)</source>
        <translation>
            <numerusform>%n store-listing image</numerusform>
            <numerusform>%n store-listing images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n screenshot(s) of the live version</source>
        <translation>
            <numerusform>%n screenshot of the live version</numerusform>
            <numerusform>%n screenshots of the live version</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DevicesPanel</name>
    <message numerus="yes">
        <source>%1 of %n device(s)</source>
        <translation>
            <numerusform>%1 of %n device</numerusform>
            <numerusform>%1 of %n devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) left out</source>
        <translation>
            <numerusform>%n file left out</numerusform>
            <numerusform>%n files left out</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n device</numerusform>
            <numerusform>%n devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last approved version ran on %n device(s)</source>
        <translation>
            <numerusform>the last approved version ran on %n device</numerusform>
            <numerusform>the last approved version ran on %n devices</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportController</name>
    <message numerus="yes">
        <source>Importing %n file(s) for %1…</source>
        <translation>
            <numerusform>Importing %n file for %1…</numerusform>
            <numerusform>Importing %n files for %1…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message numerus="yes">
        <source>Sent %n decision(s) that waited.</source>
        <translation>
            <numerusform>Sent %n decision that waited.</numerusform>
            <numerusform>Sent %n decisions that waited.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline — %n decision(s) waiting</source>
        <translation>
            <numerusform>Offline — %n decision waiting</numerusform>
            <numerusform>Offline — %n decisions waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline — %n undo(s) waiting</source>
        <translation>
            <numerusform>Offline — %n undo waiting</numerusform>
            <numerusform>Offline — %n undos waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n undo(s) of your decisions wait to be written to the audit trail; they are sent with the decisions.</source>
        <translation>
            <numerusform>%n undo of your decisions waits to be written to the audit trail; it is sent with the decisions.</numerusform>
            <numerusform>%n undos of your decisions wait to be written to the audit trail; they are sent with the decisions.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SubmissionHeader</name>
    <message numerus="yes">
        <source>⚑ %n red flag(s)</source>
        <translation>
            <numerusform>⚑ %n red flag</numerusform>
            <numerusform>⚑ %n red flags</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SubmissionQueueModel</name>
    <message numerus="yes">
        <source>%n red flag(s)</source>
        <translation>
            <numerusform>%n red flag</numerusform>
            <numerusform>%n red flags</numerusform>
        </translation>
    </message>
</context>
</TS>
