<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivityLog</name>
    <message>
        <source>Activity log</source>
        <translation>活动日志</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Reviewer workstation</source>
        <translation>审核工作台</translation>
    </message>
</context>
<context>
    <name>ApproveConfirmation</name>
    <message>
        <source>Approve despite red flags?</source>
        <translation>不顾警示仍要通过？</translation>
    </message>
    <message numerus="yes">
        <source>%1 carries %n red flag(s):</source>
        <translation>
            <numerusform>%1 带有 %n 个警示：</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Approve anyway</source>
        <translation>仍然通过(&amp;A)</translation>
    </message>
</context>
<context>
    <name>AuditComparisonView</name>
    <message>
        <source>Your audit</source>
        <translation>你的抽查</translation>
    </message>
    <message>
        <source>Original decision</source>
        <translation>原决定</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note / message</source>
        <translation>备注 / 消息</translation>
    </message>
    <message>
        <source>By, when</source>
        <translation>由谁、何时</translation>
    </message>
    <message>
        <source>+ a reason you gave that the reviewer did not;  − a reason the reviewer gave that you did not.</source>
        <translation>+ 你给出而审核员没有给出的原因；  − 审核员给出而你没有给出的原因。</translation>
    </message>
    <message>
        <source>&amp;Agree</source>
        <translation>同意(&amp;A)</translation>
    </message>
    <message>
        <source>The decision stands: on to the next decision to audit</source>
        <translation>原决定成立：继续抽查下一个决定</translation>
    </message>
    <message>
        <source>Re&amp;open…</source>
        <translation>重新打开(&amp;O)…</translation>
    </message>
    <message>
        <source>The submission goes back to the queue, pending, with a fresh deadline</source>
        <translation>提交回到队列，状态为待审，并有新的截止时间</translation>
    </message>
    <message>
        <source>Re&amp;call app…</source>
        <translation>下架应用(&amp;C)…</translation>
    </message>
    <message>
        <source>Withdraw the approved app from the store through a recall case</source>
        <translation>通过下架案例将已通过的应用从商店撤下</translation>
    </message>
    <message>
        <source>&amp;Note to reviewer…</source>
        <translation>给审核员留言(&amp;N)…</translation>
    </message>
    <message>
        <source>A note the reviewer sees in their window</source>
        <translation>审核员会在自己的窗口中看到的留言</translation>
    </message>
    <message>
        <source>You agree with the reviewer&apos;s verdict.</source>
        <translation>你同意审核员的结论。</translation>
    </message>
    <message>
        <source>You disagree with the reviewer&apos;s verdict.</source>
        <translation>你不同意审核员的结论。</translation>
    </message>
</context>
<context>
    <name>AuditForm</name>
    <message>
        <source>Your verdict</source>
        <translation>你的结论</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>通过(&amp;A)</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>驳回(&amp;J)</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Reasons of your verdict</source>
        <translation>你作出该结论的原因</translation>
    </message>
    <message>
        <source>&amp;Note for the record (optional):</source>
        <translation>备案备注（可选）(&amp;N)：</translation>
    </message>
    <message>
        <source>Note for the record</source>
        <translation>备案备注</translation>
    </message>
    <message>
        <source>&amp;Record audit</source>
        <translation>记录抽查(&amp;R)</translation>
    </message>
    <message>
        <source>Keep your verdict; the original decision is shown after that</source>
        <translation>保存你的结论；之后才会显示原决定</translation>
    </message>
    <message>
        <source>Choose approve or reject.</source>
        <translation>请选择通过或驳回。</translation>
    </message>
    <message>
        <source>A rejection needs at least one reason.</source>
        <translation>驳回至少需要一个原因。</translation>
    </message>
</context>
<context>
    <name>AuditList</name>
    <message>
        <source>Submission</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>抽中原因</translation>
    </message>
    <message>
        <source>Sampled</source>
        <translation>抽样时间</translation>
    </message>
    <message>
        <source>Audit queue</source>
        <translation>抽查队列</translation>
    </message>
    <message>
        <source>Audited: agrees</source>
        <translation>已抽查：一致</translation>
    </message>
    <message>
        <source>Audited: disagrees</source>
        <translation>已抽查：不一致</translation>
    </message>
    <message>
        <source>Audited</source>
        <translation>已抽查</translation>
    </message>
    <message>
        <source>Your own decision</source>
        <translation>你自己的决定</translation>
    </message>
    <message>
        <source>Yours to audit</source>
        <translation>由你抽查</translation>
    </message>
    <message>
        <source>Being audited by %1</source>
        <translation>%1 正在抽查</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待抽查</translation>
    </message>
    <message>
        <source>Seed %1, share %2</source>
        <translation>种子 %1，比例 %2</translation>
    </message>
</context>
<context>
    <name>AuditQueueTab</name>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>To audit</source>
        <translation>待抽查</translation>
    </message>
    <message>
        <source>All, audited too</source>
        <translation>全部，含已抽查</translation>
    </message>
    <message>
        <source>Sa&amp;mple now…</source>
        <translation>立即抽样(&amp;M)…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>&amp;Audit</source>
        <translation>抽查(&amp;A)</translation>
    </message>
    <message>
        <source>Claim the selected decision and review its evidence blind</source>
        <translation>领取所选决定，在不知道原结论的情况下审阅其证据</translation>
    </message>
    <message>
        <source>Re&amp;lease</source>
        <translation>放回(&amp;L)</translation>
    </message>
    <message>
        <source>Choose a sampled decision and press Audit. You see the evidence its reviewer had, not their verdict, until you have recorded yours.</source>
        <translation>选择一个抽中的决定并点击“抽查”。在你记录自己的结论之前，你只能看到审核员当时掌握的证据，看不到其结论。</translation>
    </message>
    <message>
        <source>The audit queue</source>
        <translation>抽查队列</translation>
    </message>
    <message>
        <source>%1 to audit</source>
        <translation>%1 个待抽查</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <source>%1 decisions sampled for audits (seed %2).</source>
        <translation>已抽取 %1 个决定待抽查（种子 %2）。</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>抽样</translation>
    </message>
    <message>
        <source>Sampling se&amp;ttings…</source>
        <translation>抽样设置(&amp;T)…</translation>
    </message>
    <message>
        <source>The team&apos;s shares of decisions sampled for audits</source>
        <translation>团队抽查的决定抽取比例</translation>
    </message>
    <message>
        <source>The team&apos;s sampling settings are saved.</source>
        <translation>团队的抽样设置已保存。</translation>
    </message>
    <message>
        <source>Audit of submission %1</source>
        <translation>抽查提交 %1</translation>
    </message>
    <message>
        <source>Blind audit: the evidence as its reviewer had it when deciding, %1.</source>
        <translation>盲审：审核员在 %1 作决定时掌握的证据。</translation>
    </message>
    <message>
        <source>No evidence was kept with this decision (%1, before evidence was frozen): shown as the database holds it now.</source>
        <translation>此决定没有保存证据（%1，早于证据冻结功能）：按数据库当前内容显示。</translation>
    </message>
    <message>
        <source>The evidence of an audit is as it was at the decision: nothing is run again here. Re-scan from the review queue.</source>
        <translation>抽查中的证据保持决定时的样子：这里不会重新运行任何检查。如需重新扫描，请在审核队列中操作。</translation>
    </message>
    <message>
        <source>The audit</source>
        <translation>抽查</translation>
    </message>
    <message>
        <source>Reopen into the queue</source>
        <translation>重新放回队列</translation>
    </message>
    <message>
        <source>The submission goes back to the review queue with a fresh deadline. Why? (optional, kept in the log)</source>
        <translation>提交将以新的截止时间回到审核队列。原因？（可选，记录在日志中）</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Back in the queue, due %1.</source>
        <translation>已回到队列，截止 %1。</translation>
    </message>
    <message>
        <source>Reopening</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Recall the app</source>
        <translation>下架应用</translation>
    </message>
    <message>
        <source>Why is the app recalled? The reason is kept with the recall case and the app&apos;s withdrawal.</source>
        <translation>为什么下架该应用？原因会随下架案例和应用撤下记录一起保存。</translation>
    </message>
    <message>
        <source>Recall app</source>
        <translation>下架应用</translation>
    </message>
    <message>
        <source>Recalled: %1 is withdrawn from the store (recall case %2).</source>
        <translation>已下架：%1 已从商店撤下（下架案例 %2）。</translation>
    </message>
    <message>
        <source>Recalling</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>Note to the reviewer</source>
        <translation>给审核员的留言</translation>
    </message>
    <message>
        <source>What should the reviewer know about this decision? They see it in their window.</source>
        <translation>关于这个决定，审核员需要知道什么？他们会在自己的窗口中看到。</translation>
    </message>
    <message>
        <source>Send note</source>
        <translation>发送留言</translation>
    </message>
    <message>
        <source>Note sent to %1.</source>
        <translation>留言已发送给 %1。</translation>
    </message>
    <message>
        <source>The note</source>
        <translation>留言</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>AuditReasons</name>
    <message>
        <source>Sampled share</source>
        <translation>按比例抽中</translation>
    </message>
    <message>
        <source>One per reviewer and kind</source>
        <translation>每位审核员每种类型至少一个</translation>
    </message>
    <message>
        <source>New reviewer</source>
        <translation>新审核员</translation>
    </message>
</context>
<context>
    <name>CloneSignals</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>图标</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>包名</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>same key</source>
        <translation>同一密钥</translation>
    </message>
    <message>
        <source>different key</source>
        <translation>不同密钥</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>CloneVerdicts</name>
    <message>
        <source>counterfeit suspected</source>
        <translation>疑似山寨</translation>
    </message>
    <message>
        <source>same developer family</source>
        <translation>同一开发者的应用</translation>
    </message>
    <message>
        <source>no match</source>
        <translation>无相似应用</translation>
    </message>
</context>
<context>
    <name>ClonesPanel</name>
    <message>
        <source>Clones</source>
        <translation>仿冒</translation>
    </message>
    <message>
        <source>Reject as counterfeit…</source>
        <translation>以仿冒为由驳回…</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>包名</translation>
    </message>
    <message>
        <source>Developer</source>
        <translation>开发者</translation>
    </message>
    <message>
        <source>Catalog apps like this submission, best first</source>
        <translation>与此提交相似的已上架应用，最相似的在前</translation>
    </message>
    <message>
        <source>This submission</source>
        <translation>此提交</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>图标</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签名者</translation>
    </message>
    <message>
        <source>Signals</source>
        <translation>各项信号</translation>
    </message>
    <message>
        <source>Permission</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>候选应用</translation>
    </message>
    <message>
        <source>Permissions of the submission and the candidate</source>
        <translation>此提交与候选应用的权限</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Classes both apps contain</source>
        <translation>两个应用都包含的类</translation>
    </message>
    <message>
        <source>Shared classes</source>
        <translation>相同的类</translation>
    </message>
    <message>
        <source>Resources both apps contain</source>
        <translation>两个应用都包含的资源</translation>
    </message>
    <message>
        <source>Shared resources</source>
        <translation>相同的资源</translation>
    </message>
    <message>
        <source>Compared %1 with %2 catalog apps</source>
        <translation>%1 与 %2 个已上架应用做了比对</translation>
    </message>
    <message>
        <source>Open the reject form with the reason “%1” chosen.</source>
        <translation>打开驳回表单，并预先勾选原因“%1”。</translation>
    </message>
    <message>
        <source>Only when the clone search suspects a counterfeit.</source>
        <translation>仅在仿冒检测怀疑是山寨应用时可用。</translation>
    </message>
    <message>
        <source>No package to compare: this submission changes the listing or the account.</source>
        <translation>没有可比对的安装包：此提交只修改商店信息或账号。</translation>
    </message>
    <message>
        <source>Waiting for a worker to compare it with the catalog.</source>
        <translation>正在等待后台进程与应用库比对。</translation>
    </message>
    <message>
        <source>Comparing with the catalog…</source>
        <translation>正在与应用库比对…</translation>
    </message>
    <message>
        <source>Not compared with the catalog yet.</source>
        <translation>尚未与应用库比对。</translation>
    </message>
    <message>
        <source>A new comparison is waiting for a worker; below, the last one.</source>
        <translation>新的比对正在等待后台进程；下面是上一次的结果。</translation>
    </message>
    <message>
        <source>A new comparison is running; below, the last one.</source>
        <translation>新的比对正在进行；下面是上一次的结果。</translation>
    </message>
    <message>
        <source>Counterfeit suspected</source>
        <translation>疑似山寨</translation>
    </message>
    <message>
        <source>Looks like %1 (%2) by %3, signed by someone else.</source>
        <translation>看起来像 %3 的 %1（%2），但由他人签名。</translation>
    </message>
    <message>
        <source>Looks like %1 (%2) by %3, signed with the same key.</source>
        <translation>看起来像 %3 的 %1（%2），使用同一密钥签名。</translation>
    </message>
    <message>
        <source>Looks like %1 (%2) by %3; the signers could not be compared.</source>
        <translation>看起来像 %3 的 %1（%2）；无法比较签名者。</translation>
    </message>
    <message>
        <source>Same developer family</source>
        <translation>同一开发者的应用</translation>
    </message>
    <message>
        <source>Close to %1 (%2) by %3, from the same developer.</source>
        <translation>与同一开发者 %3 的 %1（%2）相近。</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>无相似应用</translation>
    </message>
    <message>
        <source>Compared with %1 catalog apps: none looks like this one.</source>
        <translation>已与 %1 个已上架应用比对：没有相似的。</translation>
    </message>
    <message>
        <source>Clone verdict: %1</source>
        <translation>仿冒检测结论：%1</translation>
    </message>
    <message>
        <source>%1 (withdrawn)</source>
        <translation>%1（已下架）</translation>
    </message>
    <message>
        <source>%1 — withdrawn from the store (recalled)</source>
        <translation>%1 — 已从商店下架（召回）</translation>
    </message>
    <message>
        <source>Candidate %1 of %2 — score %3</source>
        <translation>候选 %1 / %2 — 得分 %3</translation>
    </message>
    <message>
        <source>Withdrawn from the store (recalled)</source>
        <translation>已从商店下架（召回）</translation>
    </message>
    <message>
        <source>A protected name in the brand registry: only %1 may use it</source>
        <translation>品牌保护名单中的名称：只有 %1 可以使用</translation>
    </message>
    <message>
        <source>The names look alike: %1.</source>
        <translation>名称相似：%1。</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>no icon</source>
        <translation>无图标</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>not compared</source>
        <translation>未比对</translation>
    </message>
    <message>
        <source>%1 — only this submission asks for it</source>
        <translation>%1 — 仅此提交申请</translation>
    </message>
    <message>
        <source>%1 — only the candidate asks for it</source>
        <translation>%1 — 仅候选应用申请</translation>
    </message>
    <message>
        <source>Permissions (%1; the candidate&apos;s are not known)</source>
        <translation>权限（%1；候选应用的权限未知）</translation>
    </message>
    <message>
        <source>Permissions: %1 only here, %2 only in the candidate, %3 both</source>
        <translation>权限：%1 个仅此提交有，%2 个仅候选应用有，%3 个两者都有</translation>
    </message>
    <message>
        <source>Permissions: the same %1</source>
        <translation>权限：相同的 %1 个</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… 还有 %1 个</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Zoom out (Ctrl+minus)</source>
        <translation>缩小（Ctrl+减号）</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+plus)</source>
        <translation>放大（Ctrl+加号）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合</translation>
    </message>
    <message>
        <source>Fit both images (Ctrl+0)</source>
        <translation>两张图都适合窗口（Ctrl+0）</translation>
    </message>
    <message>
        <source>Right side:</source>
        <translation>右侧：</translation>
    </message>
    <message>
        <source>What the right side shows</source>
        <translation>右侧显示的内容</translation>
    </message>
    <message>
        <source>Left image</source>
        <translation>左图</translation>
    </message>
    <message>
        <source>Right image</source>
        <translation>右图</translation>
    </message>
    <message>
        <source>Double-click a screenshot to open it here.</source>
        <translation>双击一张截图，在此打开。</translation>
    </message>
    <message>
        <source>nothing to compare it with</source>
        <translation>没有可对比的图</translation>
    </message>
    <message>
        <source>The image file is not available on this workstation.</source>
        <translation>此工作站上没有该图片文件。</translation>
    </message>
    <message>
        <source>Cannot show it: %1</source>
        <translation>无法显示：%1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>fit</source>
        <translation>适合</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>Already decided by %1 (%2) at %3.</source>
        <translation>已由 %1 于 %3 作出结论（%2）。</translation>
    </message>
    <message>
        <source>Already decided by %1 at %2.</source>
        <translation>已由 %1 于 %2 作出结论。</translation>
    </message>
    <message>
        <source>Already decided by %1.</source>
        <translation>已由 %1 作出结论。</translation>
    </message>
    <message>
        <source>Held by %1 until %2.</source>
        <translation>已被 %1 领取至 %2。</translation>
    </message>
    <message>
        <source>Held by %1.</source>
        <translation>已被 %1 领取。</translation>
    </message>
    <message>
        <source>Refused by the database.</source>
        <translation>被数据库拒绝。</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Decision conflicts</source>
        <translation>结论冲突</translation>
    </message>
    <message>
        <source>These decisions were made while the database did not answer. When they were sent, someone else had already decided the submission or held it, so the database kept theirs. Yours are kept here until you dismiss them.</source>
        <translation>这些结论是在数据库无响应时作出的。发送时，已有其他人对该提交作出结论或正在领取它，因此数据库保留了对方的结论。你的结论会保留在这里，直到你将其忽略。</translation>
    </message>
    <message>
        <source>Submission</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Your decision</source>
        <translation>你的结论</translation>
    </message>
    <message>
        <source>Decided at</source>
        <translation>作出时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <source>No conflicts.</source>
        <translation>没有冲突。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>I have seen it: stop showing this conflict</source>
        <translation>我已知晓：不再显示此冲突</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <source>Database password</source>
        <translation>数据库密码</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>%1 的密码：</translation>
    </message>
    <message>
        <source>The database refused the password: %1</source>
        <translation>数据库拒绝了该密码：%1</translation>
    </message>
    <message>
        <source>The review database wants a password.</source>
        <translation>审核数据库需要密码。</translation>
    </message>
    <message>
        <source>It is kept in the system keyring, not in a file.</source>
        <translation>密码保存在系统密钥环中，不会写入文件。</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
</context>
<context>
    <name>DecisionController</name>
    <message>
        <source>Select a submission first.</source>
        <translation>请先选择一个提交。</translation>
    </message>
    <message>
        <source>Wait until the submission has loaded, then approve.</source>
        <translation>请等提交加载完再通过。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 (kept on this computer; sent when the database answers)</source>
        <translation>%1（已保存在本机；数据库恢复响应后发送）</translation>
    </message>
    <message>
        <source>Not recorded: %1</source>
        <translation>未记录：%1</translation>
    </message>
    <message>
        <source>Undo %1: %2 (%3 s)</source>
        <translation>撤销%1：%2（%3 秒）</translation>
    </message>
    <message>
        <source>Nothing to undo: decisions are sent %1 s after they are made; after that only a lead can reopen them.</source>
        <translation>没有可撤销的决定：决定在做出 %1 秒后发送，之后只有组长能重新打开。</translation>
    </message>
    <message>
        <source>Undone: %1 %2</source>
        <translation>已撤销：%1 %2</translation>
    </message>
    <message>
        <source>Too late to undo: the decision was sent. Only a lead can reopen it.</source>
        <translation>来不及撤销：决定已发送。只有组长能重新打开。</translation>
    </message>
    <message>
        <source>Too late to undo: the decision is sent as soon as the database answers.</source>
        <translation>来不及撤销：数据库一有响应，决定就会发送。</translation>
    </message>
    <message>
        <source>Nothing to undo: the database refused that decision.</source>
        <translation>没有可撤销的：数据库拒绝了这个决定。</translation>
    </message>
    <message>
        <source>That decision was already undone.</source>
        <translation>这个决定已经撤销过了。</translation>
    </message>
</context>
<context>
    <name>DecisionPanel</name>
    <message>
        <source>Choose approve, reject or escalate.</source>
        <translation>请选择通过、驳回或上报。</translation>
    </message>
    <message>
        <source>Unknown reason code {reason}.</source>
        <translation>未知的原因代码 {reason}。</translation>
    </message>
    <message>
        <source>Choose at least one reason before rejecting.</source>
        <translation>驳回前请至少选择一个原因。</translation>
    </message>
    <message>
        <source>Write a message to the developer before rejecting.</source>
        <translation>驳回前请填写给开发者的说明。</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>通过(&amp;A)</translation>
    </message>
    <message>
        <source>Approve the selected submission (A in the queue)</source>
        <translation>通过所选提交（在队列中按 A）</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <source>Reject with reasons and a message (R in the queue)</source>
        <translation>填写原因和说明后驳回（在队列中按 R）</translation>
    </message>
    <message>
        <source>&amp;Escalate…</source>
        <translation>上报(&amp;E)…</translation>
    </message>
    <message>
        <source>Send to a lead, with an optional note (E in the queue)</source>
        <translation>上报给组长，可附备注（在队列中按 E）</translation>
    </message>
    <message>
        <source>Reasons for a rejection</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Message to the developer</source>
        <translation>给开发者的说明</translation>
    </message>
    <message>
        <source>Required for a rejection: what is wrong and what the developer should change. Optional note for an escalation.</source>
        <translation>驳回时必填：问题是什么，开发者应如何修改。上报时可选填备注。</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <source>Confirm escalation (Ctrl+Enter)</source>
        <translation>确认上报 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Confirm rejection (Ctrl+Enter)</source>
        <translation>确认驳回 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Select a submission first.</source>
        <translation>请先选择一个提交。</translation>
    </message>
    <message>
        <source>Tick the reasons (Space), write a message, then press Ctrl+Enter.</source>
        <translation>勾选原因（空格键），填写说明，然后按 Ctrl+Enter。</translation>
    </message>
    <message>
        <source>Add an optional note for the lead, then press Ctrl+Enter.</source>
        <translation>可为组长添加备注，然后按 Ctrl+Enter。</translation>
    </message>
    <message>
        <source>Press R to reject or E to escalate first.</source>
        <translation>请先按 R 驳回或按 E 上报。</translation>
    </message>
</context>
<context>
    <name>DetailLoader</name>
    <message>
        <source>Could not load submission %1: %2</source>
        <translation>无法加载提交 %1：%2</translation>
    </message>
    <message>
        <source>Offline: submission %1 was not loaded before the database stopped answering. A decision on it is kept on this computer and sent when the database answers again.</source>
        <translation>离线：数据库停止响应前未加载提交 %1。对它作出的结论会保存在本机，待数据库恢复响应后发送。</translation>
    </message>
    <message>
        <source>Offline: shown as loaded at %1; it may have changed since.</source>
        <translation>离线：显示的是 %1 加载的内容，之后可能已有变化。</translation>
    </message>
    <message>
        <source>Comparing the code with the last approved version…</source>
        <translation>正在与上一个已通过版本比较代码…</translation>
    </message>
    <message>
        <source>the classes could not be read</source>
        <translation>无法读取类</translation>
    </message>
    <message>
        <source>Code not compared with the last approved version: %1</source>
        <translation>未能与上一个已通过版本比较代码：%1</translation>
    </message>
    <message>
        <source>the last approved version&apos;s APK is not in the blob store</source>
        <translation>上一个已通过版本的 APK 不在文件库中</translation>
    </message>
    <message>
        <source>this version&apos;s APK is not in the blob store</source>
        <translation>此版本的 APK 不在文件库中</translation>
    </message>
    <message>
        <source>Neither version has DEX code.</source>
        <translation>两个版本都没有 DEX 代码。</translation>
    </message>
    <message>
        <source>Code: the same classes as the last approved version.</source>
        <translation>代码：与上一个已通过版本的类相同。</translation>
    </message>
    <message>
        <source>Code since the last approved version: classes added %1, removed %2.</source>
        <translation>自上一个已通过版本以来的代码：新增类 %1 个，移除 %2 个。</translation>
    </message>
    <message>
        <source>(default package)</source>
        <translation>（默认包）</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> 等另外 %1 个</translation>
    </message>
    <message>
        <source>New packages: %1</source>
        <translation>新的包：%1</translation>
    </message>
</context>
<context>
    <name>DeviceDetails</name>
    <message>
        <source>ANR in %1</source>
        <translation>%1 无响应（ANR）</translation>
    </message>
    <message>
        <source>Crash in %1</source>
        <translation>%1 崩溃</translation>
    </message>
    <message>
        <source>Messages:</source>
        <translation>消息：</translation>
    </message>
    <message>
        <source>No crash, ANR or message on this device.</source>
        <translation>此设备上没有崩溃、无响应或消息。</translation>
    </message>
</context>
<context>
    <name>DeviceFlags</name>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>did not start</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>crash</source>
        <translation>崩溃</translation>
    </message>
    <message>
        <source>not responding</source>
        <translation>无响应</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>空白</translation>
    </message>
    <message>
        <source>crash dialog</source>
        <translation>崩溃对话框</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>与其他设备不同</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>有变化</translation>
    </message>
    <message>
        <source>The package did not install.</source>
        <translation>安装包未能安装。</translation>
    </message>
    <message>
        <source>The main activity did not start.</source>
        <translation>主界面（Activity）未能启动。</translation>
    </message>
    <message>
        <source>The app crashed.</source>
        <translation>应用崩溃了。</translation>
    </message>
    <message>
        <source>The app stopped responding (ANR).</source>
        <translation>应用停止响应（ANR）。</translation>
    </message>
    <message>
        <source>A blank or single-colour screen: the app did not render.</source>
        <translation>空白或单色屏幕：应用没有渲染出内容。</translation>
    </message>
    <message>
        <source>The system&apos;s crash or “isn&apos;t responding” dialog is on screen.</source>
        <translation>屏幕上出现了系统的崩溃或“无响应”对话框。</translation>
    </message>
    <message>
        <source>Differs strongly from other devices of the same Android.</source>
        <translation>与同一 Android 版本的其他设备差异很大。</translation>
    </message>
    <message>
        <source>Changed against the last approved version on the same device.</source>
        <translation>与同一设备上最近通过的版本相比有变化。</translation>
    </message>
</context>
<context>
    <name>DeviceGallery</name>
    <message>
        <source>The image file is not available on this workstation.</source>
        <translation>此工作站上没有该图片文件。</translation>
    </message>
    <message>
        <source>Cannot show it: %1</source>
        <translation>无法显示：%1</translation>
    </message>
    <message>
        <source>All devices</source>
        <translation>全部设备</translation>
    </message>
    <message>
        <source>Show the screenshots of every device</source>
        <translation>显示所有设备的截图</translation>
    </message>
    <message>
        <source>Only flagged</source>
        <translation>只看有标记的</translation>
    </message>
    <message>
        <source>Only screenshots the checks flagged (blank, crash dialog, differences)</source>
        <translation>只显示检查标记过的截图（空白、崩溃对话框、差异）</translation>
    </message>
    <message>
        <source>Screenshots of the devices, and the store-listing images</source>
        <translation>各设备的截图，以及商店详情页图片</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n screenshot(s)</source>
        <translation>
            <numerusform>%1：%n 张截图</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n screenshot(s)</source>
        <translation>
            <numerusform>%n 张截图</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n 台设备</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n store-listing image(s)</source>
        <translation>
            <numerusform>%n 张商店详情页图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n screenshot(s) of the live version</source>
        <translation>
            <numerusform>线上版本的 %n 张截图</numerusform>
        </translation>
    </message>
    <message>
        <source>No screenshots.</source>
        <translation>没有截图。</translation>
    </message>
    <message>
        <source>No flagged screenshots here.</source>
        <translation>这里没有被标记的截图。</translation>
    </message>
    <message>
        <source>This device took no screenshots.</source>
        <translation>此设备没有截图。</translation>
    </message>
    <message>
        <source>Store listing image %1 — %2</source>
        <translation>商店详情页图片 %1 — %2</translation>
    </message>
    <message>
        <source>Android %1</source>
        <translation>Android %1</translation>
    </message>
    <message>
        <source>Last approved version: %1</source>
        <translation>最近通过的版本：%1</translation>
    </message>
    <message>
        <source>Store listing</source>
        <translation>商店详情页</translation>
    </message>
</context>
<context>
    <name>DeviceImages</name>
    <message>
        <source>the file cannot be read: %1</source>
        <translation>文件无法读取：%1</translation>
    </message>
    <message>
        <source>the file is larger than %1 MB</source>
        <translation>文件超过 %1 MB</translation>
    </message>
    <message>
        <source>not an image: %1</source>
        <translation>不是图片：%1</translation>
    </message>
    <message>
        <source>the image has too many pixels (%1 × %2)</source>
        <translation>图片像素过多（%1 × %2）</translation>
    </message>
    <message>
        <source>the image does not decode: %1</source>
        <translation>图片无法解码：%1</translation>
    </message>
</context>
<context>
    <name>DeviceMatrix</name>
    <message>
        <source>emulator</source>
        <translation>模拟器</translation>
    </message>
    <message>
        <source>%1 · API %2</source>
        <translation>%1 · API %2</translation>
    </message>
    <message>
        <source>API %1</source>
        <translation>API %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Android</source>
        <translation>Android</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Install</source>
        <translation>安装</translation>
    </message>
    <message>
        <source>Launch</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Crash</source>
        <translation>崩溃</translation>
    </message>
    <message>
        <source>Shots</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>The phone model or emulator, and its brand</source>
        <translation>手机型号或模拟器，及其品牌</translation>
    </message>
    <message>
        <source>Android version and API level</source>
        <translation>Android 版本和 API 级别</translation>
    </message>
    <message>
        <source>The test outcome, in Test Lab&apos;s words</source>
        <translation>测试结果（采用 Test Lab 的用语）</translation>
    </message>
    <message>
        <source>Did the package install? ✓ yes, ✗ no, — not known</source>
        <translation>安装包是否安装成功？✓ 是，✗ 否，— 未知</translation>
    </message>
    <message>
        <source>Did the main activity start? ✓ yes, ✗ no, — not known</source>
        <translation>主界面是否启动？✓ 是，✗ 否，— 未知</translation>
    </message>
    <message>
        <source>Did the app crash or stop responding? ✗ yes, ✓ no, — not known</source>
        <translation>应用是否崩溃或无响应？✗ 是，✓ 否，— 未知</translation>
    </message>
    <message>
        <source>Screenshots taken on the device</source>
        <translation>在设备上截取的截图</translation>
    </message>
    <message>
        <source>What the checks found</source>
        <translation>检查发现的问题</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>DeviceOutcomes</name>
    <message>
        <source>success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>inconclusive</source>
        <translation>无定论</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>flaky</source>
        <translation>不稳定</translation>
    </message>
</context>
<context>
    <name>DeviceSources</name>
    <message>
        <source>Test Lab results</source>
        <translation>Test Lab 结果</translation>
    </message>
    <message>
        <source>manifest</source>
        <translation>清单文件</translation>
    </message>
    <message>
        <source>adb capture</source>
        <translation>adb 采集</translation>
    </message>
</context>
<context>
    <name>DeviceSteps</name>
    <message>
        <source>launch</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>monkey</source>
        <translation>Monkey 随机操作</translation>
    </message>
</context>
<context>
    <name>DevicesPanel</name>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Device run on show</source>
        <translation>显示中的设备测试</translation>
    </message>
    <message>
        <source>The device run on show</source>
        <translation>正在显示的设备测试</translation>
    </message>
    <message>
        <source>Devices finished</source>
        <translation>已完成的设备</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the run; the devices finished so far are kept.</source>
        <translation>停止测试；已完成设备的结果会保留。</translation>
    </message>
    <message>
        <source>Import results folder…</source>
        <translation>导入结果文件夹…</translation>
    </message>
    <message>
        <source>Capture on connected devices</source>
        <translation>在已连接的设备上采集</translation>
    </message>
    <message>
        <source>Crashes and messages of the selected device</source>
        <translation>所选设备的崩溃和消息</translation>
    </message>
    <message>
        <source>Screenshots</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排对比</translation>
    </message>
    <message>
        <source>Devices the package ran on, flagged ones first</source>
        <translation>运行过该安装包的设备，有标记的排在前面</translation>
    </message>
    <message>
        <source>No package: this submission changes the listing or the account, so there is nothing to run on devices.</source>
        <translation>没有安装包：此提交只修改详情页或账号，没有可在设备上运行的内容。</translation>
    </message>
    <message>
        <source>Waiting for a worker…</source>
        <translation>等待后台工作进程…</translation>
    </message>
    <message>
        <source>A worker started the run; its first devices appear here as they finish.</source>
        <translation>后台工作进程已开始测试；设备完成后会陆续显示在这里。</translation>
    </message>
    <message>
        <source>Not tested on devices yet. Import the results folder of a device cloud, or capture on the devices connected to a worker.</source>
        <translation>尚未在设备上测试。请导入云测平台的结果文件夹，或在连接到后台工作进程的设备上采集。</translation>
    </message>
    <message>
        <source>Waiting for a worker… Below, the last run.</source>
        <translation>等待后台工作进程… 下面是上一次测试。</translation>
    </message>
    <message>
        <source>Ask a worker to import a device cloud&apos;s results folder (Firebase Test Lab&apos;s layout, or a manifest).</source>
        <translation>让后台工作进程导入云测平台的结果文件夹（Firebase Test Lab 的目录结构，或清单文件）。</translation>
    </message>
    <message>
        <source>Ask a worker to install, start and screenshot the package on every device connected to it.</source>
        <translation>让后台工作进程在其连接的每台设备上安装、启动该安装包并截图。</translation>
    </message>
    <message>
        <source>latest — %1</source>
        <translation>最新 — %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n device(s)</source>
        <translation>
            <numerusform>%1 / %n 台设备</numerusform>
        </translation>
    </message>
    <message>
        <source>The run failed: %1</source>
        <translation>测试失败：%1</translation>
    </message>
    <message>
        <source>The run was stopped: %1</source>
        <translation>测试已停止：%1</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>by a reviewer</source>
        <translation>由审核员停止</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) left out</source>
        <translation>
            <numerusform>%n 个文件未导入</numerusform>
        </translation>
    </message>
    <message>
        <source>Files of the results the import could not use</source>
        <translation>导入时无法使用的结果文件</translation>
    </message>
    <message>
        <source>%1 “%2”</source>
        <translation>%1“%2”</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1，由 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n 台设备</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last approved version ran on %n device(s)</source>
        <translation>
            <numerusform>最近通过的版本在 %n 台设备上运行过</numerusform>
        </translation>
    </message>
    <message>
        <source>Results folder of a device run</source>
        <translation>设备测试的结果文件夹</translation>
    </message>
    <message>
        <source>Import device results</source>
        <translation>导入设备测试结果</translation>
    </message>
    <message>
        <source>Stop the device run</source>
        <translation>停止设备测试</translation>
    </message>
</context>
<context>
    <name>FactsPanel</name>
    <message>
        <source>Facts</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Code changes</source>
        <translation>代码变化</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>SDK levels</source>
        <translation>SDK 版本</translation>
    </message>
    <message>
        <source>Native ABIs</source>
        <translation>原生 ABI</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Requested permissions</source>
        <translation>申请的权限</translation>
    </message>
    <message>
        <source>Implied by the target SDK (not requested):</source>
        <translation>因目标 SDK 隐含的权限（未申请）：</translation>
    </message>
    <message>
        <source>Implied permissions</source>
        <translation>隐含权限</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Signing certificates</source>
        <translation>签名证书</translation>
    </message>
    <message>
        <source>File hashes</source>
        <translation>文件哈希</translation>
    </message>
    <message>
        <source>(overdue by %1)</source>
        <translation>（已超时 %1）</translation>
    </message>
    <message>
        <source>(%1 left)</source>
        <translation>（剩余 %1）</translation>
    </message>
    <message>
        <source>This submission has no package: it changes the listing or the account.</source>
        <translation>此提交没有安装包：它修改的是商店信息或开发者账号。</translation>
    </message>
    <message>
        <source>min %1</source>
        <translation>最低 %1</translation>
    </message>
    <message>
        <source>target %1</source>
        <translation>目标 %1</translation>
    </message>
    <message>
        <source>max %1</source>
        <translation>最高 %1</translation>
    </message>
    <message>
        <source>none (no native code)</source>
        <translation>无（不含原生代码）</translation>
    </message>
    <message>
        <source>Update of an approved app: last approved version %1.</source>
        <translation>已通过应用的更新：上一个已通过版本为 %1。</translation>
    </message>
    <message>
        <source>Signed by a different key than the last approved version: phones that have the app will refuse this update, and it may not come from the same developer.</source>
        <translation>签名密钥与上一个已通过版本不同：已安装该应用的手机会拒绝此更新，且它可能并非出自同一开发者。</translation>
    </message>
    <message>
        <source>The signing key was rotated since the last approved version (the proof of rotation verifies).</source>
        <translation>自上一个已通过版本以来签名密钥已轮换（轮换证明验证通过）。</translation>
    </message>
    <message>
        <source>Version code %1 is not higher than the last approved %2: phones will not install it as an update.</source>
        <translation>版本号 %1 不高于上一个已通过版本的 %2：手机不会将其作为更新安装。</translation>
    </message>
    <message>
        <source>Name changed: “%1” → “%2”.</source>
        <translation>名称已更改：“%1” → “%2”。</translation>
    </message>
    <message>
        <source>The icon changed.</source>
        <translation>图标已更改。</translation>
    </message>
    <message>
        <source>Native code added: %1.</source>
        <translation>新增原生代码：%1。</translation>
    </message>
    <message>
        <source>Native code removed: %1.</source>
        <translation>移除原生代码：%1。</translation>
    </message>
    <message>
        <source>Minimum SDK %1 → %2.</source>
        <translation>最低 SDK %1 → %2。</translation>
    </message>
    <message>
        <source>Target SDK %1 → %2.</source>
        <translation>目标 SDK %1 → %2。</translation>
    </message>
    <message>
        <source>Permissions (%1, %2 dangerous)</source>
        <translation>权限（%1 个，危险 %2 个）</translation>
    </message>
    <message>
        <source>Added since the last approved version: %1</source>
        <translation>相比上一个已通过版本新增：%1</translation>
    </message>
    <message>
        <source>Removed since the last approved version: %1</source>
        <translation>相比上一个已通过版本移除：%1</translation>
    </message>
    <message>
        <source>Same permissions as the last approved version.</source>
        <translation>权限与上一个已通过版本相同。</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>Activity 组件</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Broadcast receivers</source>
        <translation>广播接收器</translation>
    </message>
    <message>
        <source>Content providers</source>
        <translation>内容提供器</translation>
    </message>
    <message>
        <source>(launcher)</source>
        <translation>（启动入口）</translation>
    </message>
    <message>
        <source>(new since the last approved version)</source>
        <translation>（上一个已通过版本中没有）</translation>
    </message>
    <message>
        <source>Components (%1)</source>
        <translation>组件（%1）</translation>
    </message>
    <message>
        <source>Components (%1, %2 new)</source>
        <translation>组件（%1 个，新增 %2 个）</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（无主题）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Schemes</source>
        <translation>签名方案</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>No certificate verifies this APK.</source>
        <translation>没有可验证此 APK 的证书。</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Signing certificates (%1)</source>
        <translation>签名证书（%1）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
</context>
<context>
    <name>Flags</name>
    <message>
        <source>the package could not be read: {reason}</source>
        <translation>无法读取安装包：{reason}</translation>
    </message>
    <message>
        <source>no certificate that Android accepts signs this package</source>
        <translation>没有 Android 认可的证书为此安装包签名</translation>
    </message>
    <message>
        <source>signed by a different key than the last approved version</source>
        <translation>签名密钥与上次通过的版本不同</translation>
    </message>
    <message>
        <source>version code {new} is not higher than the last approved {old}</source>
        <translation>版本号 {new} 不高于上次通过的 {old}</translation>
    </message>
    <message>
        <source>the scan gate blocked it: {engines} found malware ({detections})</source>
        <translation>扫描关卡已拦截：{engines} 发现恶意软件（{detections}）</translation>
    </message>
    <message>
        <source>the scan gate holds it: {reason}</source>
        <translation>扫描关卡暂扣：{reason}</translation>
    </message>
    <message>
        <source>{engines} found malware after the scan gate had passed it ({detections})</source>
        <translation>扫描关卡放行后，{engines} 发现了恶意软件（{detections}）</translation>
    </message>
    <message>
        <source>fee deduction: {rules}</source>
        <translation>恶意扣费：{rules}</translation>
    </message>
    <message>
        <source>looks like {label} ({package}) by {developer}, signed by someone else</source>
        <translation>看起来像 {developer} 的 {label}（{package}），但由他人签名</translation>
    </message>
    <message>
        <source>did not install on {devices}</source>
        <translation>在 {devices} 上未能安装</translation>
    </message>
    <message>
        <source>crashed on {devices}</source>
        <translation>在 {devices} 上崩溃</translation>
    </message>
    <message>
        <source>stopped responding on {devices}</source>
        <translation>在 {devices} 上停止响应</translation>
    </message>
    <message>
        <source>showed a blank screen on {devices}</source>
        <translation>在 {devices} 上显示空白屏幕</translation>
    </message>
    <message>
        <source>the system&apos;s crash dialog showed on {devices}</source>
        <translation>在 {devices} 上出现了系统崩溃对话框</translation>
    </message>
</context>
<context>
    <name>Gates</name>
    <message>
        <source>passed</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>已拦截</translation>
    </message>
    <message>
        <source>held</source>
        <translation>待定</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Decisions on this submission</source>
        <translation>此提交的决定</translation>
    </message>
    <message>
        <source>Other submissions of this app</source>
        <translation>此应用的其他提交</translation>
    </message>
    <message>
        <source>Submission</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>决定人</translation>
    </message>
    <message>
        <source>No decisions yet, and no other submission of this app.</source>
        <translation>尚无决定，也没有此应用的其他提交。</translation>
    </message>
    <message>
        <source>%1, rolled back</source>
        <translation>%1，已回滚</translation>
    </message>
    <message>
        <source>Withdrawn on %1: %2</source>
        <translation>于 %1 撤下：%2</translation>
    </message>
</context>
<context>
    <name>ImportController</name>
    <message>
        <source>Import APK files</source>
        <translation>导入 APK 文件</translation>
    </message>
    <message>
        <source>Android packages (*.apk);;All files (*)</source>
        <translation>Android 安装包 (*.apk);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n file(s) for %1…</source>
        <translation>
            <numerusform>正在为 %1 导入 %n 个文件…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling the import…</source>
        <translation>正在取消导入…</translation>
    </message>
    <message>
        <source>not a readable APK</source>
        <translation>不是可读取的 APK</translation>
    </message>
    <message>
        <source>%1: not imported: %2</source>
        <translation>%1：未导入：%2</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Filed %1 as submission %2</source>
        <translation>已将 %1 登记为提交 %2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Import finished: %1 of %2 filed, %3 failed.</source>
        <translation>导入完成：%2 个中已登记 %1 个，失败 %3 个。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import APK files</source>
        <translation>导入 APK 文件</translation>
    </message>
    <message>
        <source>File %1 as a new submission.</source>
        <translation>将 %1 登记为新的提交。</translation>
    </message>
    <message>
        <source>File %1 APK files as new submissions.</source>
        <translation>将 %1 个 APK 文件登记为新的提交。</translation>
    </message>
    <message>
        <source>Developer or company name</source>
        <translation>开发者或公司名称</translation>
    </message>
    <message>
        <source>Keep the developer&apos;s tier</source>
        <translation>沿用开发者现有星级</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Developer</source>
        <translation>开发者(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Tier</source>
        <translation>星级(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
</context>
<context>
    <name>JobReasons</name>
    <message>
        <source>submitted</source>
        <translation>提交时</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>手动请求</translation>
    </message>
    <message>
        <source>re-scan</source>
        <translation>重新扫描</translation>
    </message>
</context>
<context>
    <name>Kinds</name>
    <message>
        <source>New app</source>
        <translation>新应用</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>资料变更</translation>
    </message>
    <message>
        <source>Sensitive</source>
        <translation>敏感权限</translation>
    </message>
</context>
<context>
    <name>LeadMode</name>
    <message>
        <source>Audit queue</source>
        <translation>抽查队列</translation>
    </message>
    <message>
        <source>Recalls</source>
        <translation>下架</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>&amp;Lead</source>
        <translation>组长(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Lead mode…</source>
        <translation>组长模式(&amp;L)…</translation>
    </message>
    <message>
        <source>Lead mode</source>
        <translation>组长模式</translation>
    </message>
    <message>
        <source>Audit queue and the other parts of a lead&apos;s work (Ctrl+Shift+L)</source>
        <translation>抽查队列及组长的其他工作（Ctrl+Shift+L）</translation>
    </message>
    <message>
        <source>&amp;Recall cases…</source>
        <translation>下架案件(&amp;R)…</translation>
    </message>
    <message>
        <source>Recall a live app…</source>
        <translation>下架在架应用…</translation>
    </message>
    <message>
        <source>Roll back an app…</source>
        <translation>回滚应用…</translation>
    </message>
    <message>
        <source>Record the blind audit first: this names reviewers.</source>
        <translation>请先记录盲审结果：这里会显示审核员的名字。</translation>
    </message>
</context>
<context>
    <name>LeadWindow</name>
    <message>
        <source>Lead mode</source>
        <translation>组长模式</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Live updates stopped: %1. Press F5 to refresh the queue.</source>
        <translation>实时更新已停止：%1。按 F5 刷新队列。</translation>
    </message>
    <message>
        <source>Submission %1 left the queue: it was decided elsewhere or withdrawn.</source>
        <translation>提交 %1 已离开队列：已在别处处理或已撤回。</translation>
    </message>
    <message>
        <source>Submission %1: %2</source>
        <translation>提交 %1：%2</translation>
    </message>
    <message>
        <source>Your claim on this submission has lapsed: someone else may be deciding it.</source>
        <translation>你对此提交的领取已失效：可能有其他人正在处理。</translation>
    </message>
    <message>
        <source>Get next needs the database, which does not answer now.</source>
        <translation>“下一个”需要数据库，但数据库当前无响应。</translation>
    </message>
    <message>
        <source>Nothing to claim: the queue is empty or everything is claimed.</source>
        <translation>没有可领取的提交：队列为空或都已被领取。</translation>
    </message>
    <message>
        <source>Background task failed: %1</source>
        <translation>后台任务失败：%1</translation>
    </message>
    <message>
        <source>Reviewer workstation</source>
        <translation>审核工作台</translation>
    </message>
</context>
<context>
    <name>NameReasons</name>
    <message>
        <source>the same letters once case, spaces and symbols are ignored</source>
        <translation>忽略大小写、空格和符号后字母相同</translation>
    </message>
    <message>
        <source>they sound the same</source>
        <translation>读音相同</translation>
    </message>
    <message>
        <source>characters that look alike</source>
        <translation>字形相近</translation>
    </message>
    <message>
        <source>the same name with marketing words added</source>
        <translation>同一名称加上了营销词</translation>
    </message>
    <message>
        <source>the same name in traditional and simplified Chinese</source>
        <translation>同一名称的繁体与简体</translation>
    </message>
    <message>
        <source>a few characters changed</source>
        <translation>改动了几个字符</translation>
    </message>
</context>
<context>
    <name>NotesDialog</name>
    <message>
        <source>Notes from your leads</source>
        <translation>来自组长的留言</translation>
    </message>
    <message>
        <source>Leads audited some of your decisions and wrote to you:</source>
        <translation>组长抽查了你的一些决定，并给你留言：</translation>
    </message>
    <message>
        <source>&amp;Mark as read</source>
        <translation>标为已读(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <source>about submission %1</source>
        <translation>关于提交 %1</translation>
    </message>
    <message>
        <source>From %1, %2</source>
        <translation>来自 %1，%2</translation>
    </message>
</context>
<context>
    <name>PermissionListModel</name>
    <message>
        <source>dangerous</source>
        <translation>危险</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>up to SDK %1</source>
        <translation>最高 SDK %1</translation>
    </message>
    <message>
        <source>Dangerous permission: check that the app needs it.</source>
        <translation>危险权限：请确认应用确实需要。</translation>
    </message>
    <message>
        <source>Not requested by the last approved version.</source>
        <translation>上一个已通过版本未申请此权限。</translation>
    </message>
    <message>
        <source>Implied by Android because of the app&apos;s old target SDK.</source>
        <translation>因应用的目标 SDK 较旧，由 Android 隐式授予。</translation>
    </message>
</context>
<context>
    <name>PullAppDialog</name>
    <message>
        <source>Package:</source>
        <translation>包名：</translation>
    </message>
    <message>
        <source>Why, for the record and for the developer</source>
        <translation>原因（记录在案，并告知开发者）</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
</context>
<context>
    <name>Quality</name>
    <message>
        <source>Agreement and kappa per reviewer</source>
        <translation>各审核员的一致率和 kappa</translation>
    </message>
    <message>
        <source>Agreement and kappa per kind</source>
        <translation>各类型的一致率和 kappa</translation>
    </message>
    <message>
        <source>Agreement and kappa per reviewer and kind</source>
        <translation>按审核员和类型的一致率和 kappa</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致率</translation>
    </message>
    <message>
        <source>Kappa</source>
        <translation>Kappa</translation>
    </message>
    <message>
        <source>Decisions per day</source>
        <translation>每日决定数</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>No decisions in this period</source>
        <translation>此期间没有决定</translation>
    </message>
    <message>
        <source>No days in this period</source>
        <translation>此期间没有天数</translation>
    </message>
    <message>
        <source>Agreement and kappa chart</source>
        <translation>一致率和 kappa 图表</translation>
    </message>
    <message>
        <source>%1: agreement %2, kappa %3</source>
        <translation>%1：一致率 %2，kappa %3</translation>
    </message>
    <message>
        <source>Decisions per day chart</source>
        <translation>每日决定数图表</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>审核员</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>终审</translation>
    </message>
    <message>
        <source>Audited</source>
        <translation>已抽查</translation>
    </message>
    <message>
        <source>Median time</source>
        <translation>中位用时</translation>
    </message>
    <message>
        <source>SLA misses</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Decisions made in the period</source>
        <translation>此期间作出的决定</translation>
    </message>
    <message>
        <source>Approvals and rejections</source>
        <translation>通过和驳回</translation>
    </message>
    <message>
        <source>Escalations to a lead: steps, not decisions</source>
        <translation>上报给组长：是步骤，不是决定</translation>
    </message>
    <message>
        <source>Decisions with at least one audit</source>
        <translation>至少被抽查过一次的决定</translation>
    </message>
    <message>
        <source>Share of audits whose outcome is agree</source>
        <translation>抽查结果为“同意”的比例</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa between the reviewer&apos;s and the auditor&apos;s verdicts</source>
        <translation>审核员与抽查人结论之间的 Cohen kappa</translation>
    </message>
    <message>
        <source>Median time from submission to the first approval or rejection (hours:minutes)</source>
        <translation>从提交到首次通过或驳回的中位用时（小时:分钟）</translation>
    </message>
    <message>
        <source>First approvals or rejections after the deadline</source>
        <translation>超过截止时间才作出的首次通过或驳回</translation>
    </message>
    <message>
        <source>%1 of %2 audits agree</source>
        <translation>%2 次抽查中 %1 次一致</translation>
    </message>
    <message>
        <source>Over %1 audits with the auditor&apos;s own verdict</source>
        <translation>基于 %1 次带有抽查人自己结论的抽查</translation>
    </message>
    <message>
        <source>Over %1 first decisions</source>
        <translation>基于 %1 个首次决定</translation>
    </message>
    <message>
        <source>Team: %1 decisions (%2 escalations), %3 audited, agreement %4, kappa %5, median time %6, %7 SLA misses</source>
        <translation>团队：%1 个决定（%2 次上报），%3 个被抽查，一致率 %4，kappa %5，中位用时 %6，%7 次超时</translation>
    </message>
    <message>
        <source>(%1 of them still open past the deadline)</source>
        <translation>（其中 %1 个已过截止时间仍未处理）</translation>
    </message>
    <message>
        <source>Review quality</source>
        <translation>审核质量</translation>
    </message>
</context>
<context>
    <name>QualityDashboard</name>
    <message>
        <source>Review quality per group</source>
        <translation>各分组的审核质量</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>最近 90 天</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>分组：</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>审核员</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Reviewer and kind</source>
        <translation>审核员和类型</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>per reviewer</source>
        <translation>按审核员</translation>
    </message>
    <message>
        <source>per kind</source>
        <translation>按类型</translation>
    </message>
    <message>
        <source>Decisions from %1 to %2, %3</source>
        <translation>%1 至 %2 的决定，%3</translation>
    </message>
    <message>
        <source>per reviewer and kind</source>
        <translation>按审核员和类型</translation>
    </message>
    <message>
        <source>The period ends before it starts: choose a later end.</source>
        <translation>结束早于开始：请选择更晚的结束日期。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>The quality report could not be made: %1</source>
        <translation>无法生成质量报告：%1</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>QueuePane</name>
    <message>
        <source>Review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>No submissions are waiting for you.</source>
        <translation>没有等待你审核的提交。</translation>
    </message>
    <message>
        <source>Some kinds are hidden: View ▸ Show kinds.</source>
        <translation>部分类型已隐藏：视图 ▸ 显示类型。</translation>
    </message>
    <message>
        <source>New submissions appear here as they are filed. Ctrl+O imports APK files.</source>
        <translation>新提交一到就会出现在这里。Ctrl+O 导入 APK 文件。</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>A reason is required.</source>
        <translation>必须填写原因。</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>Malware detected</source>
        <translation>检出恶意软件</translation>
    </message>
    <message>
        <source>Hidden charges</source>
        <translation>隐藏扣费</translation>
    </message>
    <message>
        <source>Counterfeit / impersonation</source>
        <translation>山寨 / 仿冒</translation>
    </message>
    <message>
        <source>Excessive permissions</source>
        <translation>权限过度</translation>
    </message>
    <message>
        <source>Signature problem</source>
        <translation>签名问题</translation>
    </message>
    <message>
        <source>Crashes or does not start</source>
        <translation>崩溃或无法启动</translation>
    </message>
    <message>
        <source>Misleading listing</source>
        <translation>信息误导</translation>
    </message>
    <message>
        <source>Prohibited content</source>
        <translation>违禁内容</translation>
    </message>
    <message>
        <source>Intrusive ads</source>
        <translation>骚扰广告</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>A scanner or a reviewer found malicious behaviour.</source>
        <translation>扫描引擎或审核员发现了恶意行为。</translation>
    </message>
    <message>
        <source>Sends premium SMS or charges users without clear consent.</source>
        <translation>未经用户明确同意发送付费短信或扣费。</translation>
    </message>
    <message>
        <source>Copies another app&apos;s name or icon, signed by someone else.</source>
        <translation>抄袭其他应用的名称或图标，且由他人签名。</translation>
    </message>
    <message>
        <source>Requests sensitive permissions its features do not need.</source>
        <translation>申请了其功能并不需要的敏感权限。</translation>
    </message>
    <message>
        <source>The APK&apos;s signature does not verify or changed unexpectedly.</source>
        <translation>APK 签名校验失败或发生了意外变更。</translation>
    </message>
    <message>
        <source>Fails to install, launch or run on test devices.</source>
        <translation>在测试设备上无法安装、启动或运行。</translation>
    </message>
    <message>
        <source>Name, description or screenshots do not match the app.</source>
        <translation>名称、描述或截图与应用不符。</translation>
    </message>
    <message>
        <source>Content not allowed by store policy.</source>
        <translation>包含商店政策不允许的内容。</translation>
    </message>
    <message>
        <source>Ads that block use of the app or the device.</source>
        <translation>广告妨碍应用或设备的正常使用。</translation>
    </message>
    <message>
        <source>Explained in the message to the developer.</source>
        <translation>具体见给开发者的说明。</translation>
    </message>
</context>
<context>
    <name>RecallListView</name>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>未结案件</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>全部案件</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>立案时间</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>包名</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Opened by</source>
        <translation>立案者</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Recall cases</source>
        <translation>下架案件</translation>
    </message>
    <message>
        <source>Recall app…</source>
        <translation>召回应用…</translation>
    </message>
    <message>
        <source>Dismiss…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>No open recall cases</source>
        <translation>没有未结的下架案件</translation>
    </message>
    <message>
        <source>No recall cases</source>
        <translation>没有下架案件</translation>
    </message>
    <message>
        <source>Select a case to see its evidence.</source>
        <translation>选择一个案件以查看其证据。</translation>
    </message>
    <message>
        <source>Case %1: %2, opened %3 by %4 (%5)</source>
        <translation>案件 %1：%2，由 %4 于 %3 立案（%5）</translation>
    </message>
    <message>
        <source>Dismissed by %1, %2</source>
        <translation>由 %1 驳回，%2</translation>
    </message>
    <message>
        <source>Recalled by %1, %2</source>
        <translation>由 %1 召回，%2</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>No engine evidence: a lead opened this case.</source>
        <translation>没有引擎证据：此案件由组长发起。</translation>
    </message>
    <message>
        <source>Recall app</source>
        <translation>召回应用</translation>
    </message>
    <message>
        <source>Why is %1 recalled? The reason is kept with the case and the app&apos;s withdrawal.</source>
        <translation>为什么召回 %1？原因会随案件和下架记录一起保存。</translation>
    </message>
    <message>
        <source>Dismiss case</source>
        <translation>驳回案件</translation>
    </message>
    <message>
        <source>Why does %1 stay live? (optional)</source>
        <translation>为什么 %1 继续上架？（可选）</translation>
    </message>
</context>
<context>
    <name>RecallSources</name>
    <message>
        <source>re-scan</source>
        <translation>重新扫描</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>组长</translation>
    </message>
</context>
<context>
    <name>RecallStates</name>
    <message>
        <source>open</source>
        <translation>未结</translation>
    </message>
    <message>
        <source>recalled</source>
        <translation>已召回</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>已驳回</translation>
    </message>
</context>
<context>
    <name>RecallsTab</name>
    <message>
        <source>Recall a &amp;live app…</source>
        <translation>下架在架应用(&amp;L)…</translation>
    </message>
    <message>
        <source>Withdraw a live app from the store at once, with your reason</source>
        <translation>立即将在架应用从商店撤下，并附上你的理由</translation>
    </message>
    <message>
        <source>Roll &amp;back an app…</source>
        <translation>回滚应用(&amp;B)…</translation>
    </message>
    <message>
        <source>Withdraw the live version; the version approved before is live again</source>
        <translation>撤下当前在架版本；之前通过的版本重新上架</translation>
    </message>
    <message>
        <source>Recall cases could not be read: %1</source>
        <translation>无法读取下架案件：%1</translation>
    </message>
    <message>
        <source>Recall case %1: the app is recalled and withdrawn from the store.</source>
        <translation>下架案件 %1：应用已召回并从商店撤下。</translation>
    </message>
    <message>
        <source>Recall case %1 dismissed: the app stays live.</source>
        <translation>下架案件 %1 已驳回：应用继续在架。</translation>
    </message>
    <message>
        <source>Recall case %1: %2</source>
        <translation>下架案件 %1：%2</translation>
    </message>
    <message>
        <source>Recall a live app</source>
        <translation>下架在架应用</translation>
    </message>
    <message>
        <source>The app is withdrawn from the store at once, with your reason; the recall joins the list of recall cases.</source>
        <translation>应用将立即从商店撤下并记录你的理由；此次下架会加入下架案件列表。</translation>
    </message>
    <message>
        <source>Recall app</source>
        <translation>下架应用</translation>
    </message>
    <message>
        <source>Roll back an app</source>
        <translation>回滚应用</translation>
    </message>
    <message>
        <source>The live version is withdrawn with your reason, and the version approved before it is live again (a broken release).</source>
        <translation>当前在架版本将按你的理由撤下，之前通过的版本重新上架（用于有问题的发布）。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>%1 is recalled and withdrawn from the store.</source>
        <translation>%1 已召回并从商店撤下。</translation>
    </message>
    <message>
        <source>%1: version %2 withdrawn; version %3 is live again.</source>
        <translation>%1：版本 %2 已撤下；版本 %3 重新上架。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>ReviewerNotes</name>
    <message>
        <source>Notes from leads could not be read: %1</source>
        <translation>无法读取组长的留言：%1</translation>
    </message>
    <message>
        <source>✉ Notes from leads: %1</source>
        <translation>✉ 组长留言：%1</translation>
    </message>
    <message>
        <source>Leads wrote to you about your decisions: click to read</source>
        <translation>组长就你的决定给你留言：点击查看</translation>
    </message>
    <message>
        <source>A lead wrote to you about a decision: see the notes in the status bar.</source>
        <translation>有组长就某个决定给你留言：请查看状态栏中的留言。</translation>
    </message>
</context>
<context>
    <name>ReviewerRow</name>
    <message>
        <source>Reviewer&apos;s user name</source>
        <translation>审核员用户名</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>This reviewer&apos;s decisions get the share of their kind again</source>
        <translation>此审核员的决定重新按其类型的比例抽取</translation>
    </message>
</context>
<context>
    <name>SampleDialog</name>
    <message>
        <source>Sample decisions for audits</source>
        <translation>抽取决定以供抽查</translation>
    </message>
    <message>
        <source>&amp;Share of each reviewer&apos;s decisions:</source>
        <translation>每位审核员决定的抽取比例(&amp;S)：</translation>
    </message>
    <message>
        <source>The same seed over the same decisions gives the same sample</source>
        <translation>相同的种子对相同的决定会得到相同的样本</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>种子(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;All of a new reviewer&apos;s first:</source>
        <translation>新审核员的前几个决定全部抽取(&amp;A)：</translation>
    </message>
    <message>
        <source>Every reviewer and kind with decisions gets at least one; decisions sampled or audited before are left out.</source>
        <translation>每位有决定的审核员、每种类型至少抽取一个；之前已抽取或已抽查的决定不再抽取。</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>抽样</translation>
    </message>
</context>
<context>
    <name>SamplingSettingsDialog</name>
    <message>
        <source>Sampling settings</source>
        <translation>抽样设置</translation>
    </message>
    <message>
        <source>Reading the team&apos;s settings…</source>
        <translation>正在读取团队设置…</translation>
    </message>
    <message>
        <source>&amp;Share of each reviewer&apos;s decisions:</source>
        <translation>每位审核员决定的抽取比例(&amp;S)：</translation>
    </message>
    <message>
        <source> decisions</source>
        <translation> 个决定</translation>
    </message>
    <message>
        <source>&amp;All of a new reviewer&apos;s first:</source>
        <translation>新审核员的前几个决定全部抽取(&amp;A)：</translation>
    </message>
    <message>
        <source>Per kind</source>
        <translation>按类型</translation>
    </message>
    <message>
        <source>A share of its own for this kind; otherwise the share above</source>
        <translation>此类型单独的比例；否则使用上面的比例</translation>
    </message>
    <message>
        <source>Per reviewer</source>
        <translation>按审核员</translation>
    </message>
    <message>
        <source>A&amp;dd reviewer</source>
        <translation>添加审核员(&amp;D)</translation>
    </message>
    <message>
        <source>A reviewer&apos;s own share comes first, then the share of the decision&apos;s kind, then the share above; every reviewer and kind with decisions gets at least one. The daily sample and Sample now use these settings on every workstation.</source>
        <translation>先用审核员自己的比例，其次是决定所属类型的比例，最后是上面的比例；每个有决定的审核员和类型至少抽取一个。每日抽样和“立即抽样”在所有工作站上都使用这些设置。</translation>
    </message>
    <message>
        <source>The team&apos;s settings, last changed by %1 on %2.</source>
        <translation>团队设置，最近由 %1 于 %2 修改。</translation>
    </message>
    <message>
        <source>The team has no sampling settings yet: each workstation uses its own config.toml ([audits]), shown here. Saving makes these the team&apos;s.</source>
        <translation>团队还没有抽样设置：每个工作站使用自己的 config.toml（[audits]），此处显示的即是。保存后它们成为团队的设置。</translation>
    </message>
    <message>
        <source>The team&apos;s settings in the database are not valid (%1): this workstation&apos;s are shown. Save to replace them.</source>
        <translation>数据库中的团队设置无效（%1）：此处显示本工作站的设置。保存即可替换。</translation>
    </message>
    <message>
        <source>The team&apos;s settings could not be read.</source>
        <translation>无法读取团队设置。</translation>
    </message>
    <message>
        <source>Enter the reviewer&apos;s user name, or remove the row.</source>
        <translation>请输入审核员用户名，或移除此行。</translation>
    </message>
    <message>
        <source>%1 is listed twice.</source>
        <translation>%1 重复列出。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>ScanEngineTree</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Detections</source>
        <translation>检出</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Engine version</source>
        <translation>引擎版本</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>特征库</translation>
    </message>
    <message>
        <source>Verdicts of the scanning engines</source>
        <translation>各扫描引擎的结论</translation>
    </message>
    <message>
        <source>not listed</source>
        <translation>未列入</translation>
    </message>
    <message>
        <source>A lookup that found nothing: it says nothing about the package and does not pass the gate.</source>
        <translation>名单查询没有命中：这不能说明安装包是否安全，也不会让关卡放行。</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>ScanVerdicts</name>
    <message>
        <source>clean</source>
        <translation>干净</translation>
    </message>
    <message>
        <source>malicious</source>
        <translation>恶意</translation>
    </message>
    <message>
        <source>suspicious</source>
        <translation>可疑</translation>
    </message>
    <message>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>cannot judge this file</source>
        <translation>无法判断此文件</translation>
    </message>
</context>
<context>
    <name>ScansPanel</name>
    <message>
        <source>Scans</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Engines answered</source>
        <translation>已答复的引擎</translation>
    </message>
    <message>
        <source>Scan:</source>
        <translation>扫描：</translation>
    </message>
    <message>
        <source>Scan on show</source>
        <translation>显示的扫描</translation>
    </message>
    <message>
        <source>Re-scan</source>
        <translation>重新扫描</translation>
    </message>
    <message>
        <source>No package to scan: this submission changes the listing or the account.</source>
        <translation>没有可扫描的安装包：此提交只修改商店信息或账号。</translation>
    </message>
    <message>
        <source>Not scanned yet: a worker will scan it.</source>
        <translation>尚未扫描：将由后台任务进程扫描。</translation>
    </message>
    <message>
        <source>Scanning…: the engines&apos; answers appear here as they come.</source>
        <translation>正在扫描…：各引擎的结论会陆续显示在这里。</translation>
    </message>
    <message>
        <source>Not scanned yet, and no scan is waiting: use Re-scan to ask for one.</source>
        <translation>尚未扫描，也没有等待中的扫描：请点击“重新扫描”。</translation>
    </message>
    <message>
        <source>A new scan is waiting for a worker; below, the last one.</source>
        <translation>新的扫描正在等待后台进程；下面是上一次的结果。</translation>
    </message>
    <message>
        <source>A new scan is running; below, the last one.</source>
        <translation>新的扫描正在进行；下面是上一次的结果。</translation>
    </message>
    <message>
        <source>There is no package to scan.</source>
        <translation>没有可扫描的安装包。</translation>
    </message>
    <message>
        <source>A scan of this package is already waiting or running.</source>
        <translation>此安装包的扫描已在等待或进行中。</translation>
    </message>
    <message>
        <source>Ask a worker to scan this package again with every engine.</source>
        <translation>请求后台进程用所有引擎重新扫描此安装包。</translation>
    </message>
    <message>
        <source>latest — %1</source>
        <translation>最新 — %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Malware found after the gate passed, by %1: the app may already be on phones.</source>
        <translation>关卡放行后 %1 发现了恶意软件：该应用可能已经装到用户手机上。</translation>
    </message>
    <message>
        <source>%1 of %2 engines answered</source>
        <translation>%2 个引擎中已有 %1 个答复</translation>
    </message>
    <message>
        <source>Waiting for the first engine…</source>
        <translation>正在等待第一个引擎…</translation>
    </message>
    <message>
        <source>started %1</source>
        <translation>开始于 %1</translation>
    </message>
    <message>
        <source>took %1 s</source>
        <translation>耗时 %1 秒</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>由 %1 执行</translation>
    </message>
    <message>
        <source>The scan failed: %1</source>
        <translation>扫描失败：%1</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未给出原因</translation>
    </message>
    <message>
        <source>Policy: %1</source>
        <translation>策略：%1</translation>
    </message>
    <message>
        <source>Passed: may go on to review</source>
        <translation>已通过：可进入人工审核</translation>
    </message>
    <message>
        <source>Blocked: an engine found malware</source>
        <translation>已拦截：有引擎发现恶意软件</translation>
    </message>
    <message>
        <source>Held: the engines did not settle it; a person must look</source>
        <translation>待定：引擎未能定论，需要人工查看</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>The password works but could not be kept in the system keyring (%1); it is used until the window closes.</source>
        <translation>密码正确，但无法保存到系统密钥环（%1）；在窗口关闭前会继续使用该密码。</translation>
    </message>
    <message>
        <source>Not connected: %1. Trying again every few seconds.</source>
        <translation>未连接：%1。每隔几秒会重试一次。</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <source>The database refused the password. Decisions are kept on this computer; press F5 to enter the password again.</source>
        <translation>数据库拒绝了密码。决定已保存在本机；按 F5 重新输入密码。</translation>
    </message>
    <message>
        <source>Not connected: no password given. Press F5 to try again.</source>
        <translation>未连接：未提供密码。按 F5 重试。</translation>
    </message>
    <message>
        <source>Background task failed: %1</source>
        <translation>后台任务失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>Sent %n decision(s) that waited.</source>
        <translation>
            <numerusform>已发送 %n 个等待中的决定。</numerusform>
        </translation>
    </message>
    <message>
        <source>Your decision on submission %1 (%2) was refused: someone else got there first. See Decision conflicts.</source>
        <translation>你对提交 %1 的结论（%2）被拒绝：其他人先作出了结论。请查看“结论冲突”。</translation>
    </message>
    <message>
        <source>Could not dismiss the conflict: %1</source>
        <translation>无法忽略该冲突：%1</translation>
    </message>
    <message>
        <source>The database answers again.</source>
        <translation>数据库已恢复响应。</translation>
    </message>
    <message>
        <source>The database does not answer (%1). Decisions are kept on this computer and sent when it answers again.</source>
        <translation>数据库无响应（%1）。结论会保存在本机，待数据库恢复响应后发送。</translation>
    </message>
    <message>
        <source>The database does not answer. Decisions are kept on this computer and sent when it answers again.</source>
        <translation>数据库无响应。结论会保存在本机，待数据库恢复响应后发送。</translation>
    </message>
    <message numerus="yes">
        <source>Offline — %n decision(s) waiting</source>
        <translation>
            <numerusform>离线 — %n 个决定等待发送</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline — %n undo(s) waiting</source>
        <translation>
            <numerusform>离线 — %n 个撤销等待发送</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Waiting for the password</source>
        <translation>正在等待输入密码</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Not connected to the review database. Press F5 to try again.</source>
        <translation>未连接到审核数据库。按 F5 重试。</translation>
    </message>
    <message>
        <source>The database does not answer. Your decisions are kept on this computer and sent, in order, when it answers again.</source>
        <translation>数据库无响应。你的结论会保存在本机，待数据库恢复响应后按顺序发送。</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Connected to the review database.</source>
        <translation>已连接到审核数据库。</translation>
    </message>
    <message numerus="yes">
        <source>%n undo(s) of your decisions wait to be written to the audit trail; they are sent with the decisions.</source>
        <translation>
            <numerusform>%n 个撤销尚未写入审计记录；将随决定一起发送。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Signatures</name>
    <message>
        <source>verified</source>
        <translation>已验证</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>StatusBarParts</name>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>Decisions the database refused because someone else got there first</source>
        <translation>因他人先作出结论而被数据库拒绝的结论</translation>
    </message>
    <message>
        <source>Selected: overdue by %1</source>
        <translation>所选：已超时 %1</translation>
    </message>
    <message>
        <source>Selected: %1 left</source>
        <translation>所选：剩余 %1</translation>
    </message>
    <message>
        <source>Open: %1</source>
        <translation>待审：%1</translation>
    </message>
    <message>
        <source>Overdue: %1</source>
        <translation>超时：%1</translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>Reviewer: %1</source>
        <translation>审核员：%1</translation>
    </message>
    <message>
        <source>Lead: %1</source>
        <translation>组长：%1</translation>
    </message>
    <message>
        <source>Take the decision back before it is sent (Ctrl+Z)</source>
        <translation>在发送前收回决定（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Importing %1/%2</source>
        <translation>正在导入 %1/%2</translation>
    </message>
</context>
<context>
    <name>Statuses</name>
    <message>
        <source>Pending</source>
        <translation>待审</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已上报</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
</context>
<context>
    <name>SubmissionHeader</name>
    <message>
        <source>Submission %1</source>
        <translation>提交 %1</translation>
    </message>
    <message>
        <source>no icon</source>
        <translation>无图标</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>This app was recalled on %1: %2</source>
        <translation>此应用已于 %1 被召回：%2</translation>
    </message>
    <message>
        <source>Overdue by %1</source>
        <translation>已超时 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Decision due %1</source>
        <translation>决定截止于 %1</translation>
    </message>
    <message numerus="yes">
        <source>⚑ %n red flag(s)</source>
        <translation>
            <numerusform>⚑ %n 个警示</numerusform>
        </translation>
    </message>
    <message>
        <source>Already decided: %1 by %2 at %3.</source>
        <translation>已有结论：%2 于 %3 %1。</translation>
    </message>
    <message>
        <source>This submission is %1.</source>
        <translation>此提交状态为：%1。</translation>
    </message>
    <message>
        <source>Claimed by %1 until %2: your decision may be refused.</source>
        <translation>已被 %1 领取至 %2：你的结论可能会被拒绝。</translation>
    </message>
    <message>
        <source>Could not claim this submission: %1</source>
        <translation>无法领取此提交：%1</translation>
    </message>
</context>
<context>
    <name>SubmissionQueueModel</name>
    <message>
        <source>Time until the promised decision deadline. The queue is ordered by deadline, the most urgent first.</source>
        <translation>距承诺审核截止时间的剩余时间。队列按截止时间排序，最紧急的在前。</translation>
    </message>
    <message>
        <source>Red flags found when it was filed: what must not be approved without a second look.</source>
        <translation>提交时发现的警示：未经再次检查不应通过的问题。</translation>
    </message>
    <message>
        <source>Developer tier: 4 or 5 stars get the fast decision deadline.</source>
        <translation>开发者星级：4 星或 5 星享有快速审核时限。</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>包名</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Developer</source>
        <translation>开发者</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>星级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Held by</source>
        <translation>领取人</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>%1 (recalled)</source>
        <translation>%1（已下架）</translation>
    </message>
    <message>
        <source>Red flags, worst first:</source>
        <translation>警示（最严重的在前）：</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%n red flag(s)</source>
        <translation>
            <numerusform>%n 个警示</numerusform>
        </translation>
    </message>
    <message>
        <source>Overdue by %1</source>
        <translation>已超时 %1</translation>
    </message>
    <message>
        <source>Due soon: %1 left</source>
        <translation>即将到期：剩余 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>SubmissionView</name>
    <message>
        <source>No submission selected</source>
        <translation>未选择提交</translation>
    </message>
    <message>
        <source>Pick a submission in the queue, or press Get next (Ctrl+N).</source>
        <translation>请在队列中选择一个提交，或点击“领取下一个”（Ctrl+N）。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Submission %1</source>
        <translation>提交 %1</translation>
    </message>
</context>
<context>
    <name>ThumbnailDelegate</name>
    <message>
        <source>listing</source>
        <translation>详情页</translation>
    </message>
    <message>
        <source>live version</source>
        <translation>线上版本</translation>
    </message>
</context>
<context>
    <name>TimeLeft</name>
    <message>
        <source>%1d %2h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>%1h %2m</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1m</source>
        <translation>%1分</translation>
    </message>
</context>
<context>
    <name>TrailViewer</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>起始：</translation>
    </message>
    <message>
        <source>Who:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>every action</source>
        <translation>所有操作</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>对象：</translation>
    </message>
    <message>
        <source>submission:12</source>
        <translation>submission:12</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Verify the trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <source>Check every event&apos;s hash and link: an event changed, removed or reordered is found.</source>
        <translation>检查每条事件的哈希和链接：被修改、删除或调换顺序的事件都会被发现。</translation>
    </message>
    <message>
        <source>Reading the trail…</source>
        <translation>正在读取审计日志…</translation>
    </message>
    <message>
        <source>The first %1 events that match; narrow the filters or export them all.</source>
        <translation>前 %1 条匹配的事件；请缩小筛选范围，或全部导出。</translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation>%1 条事件</translation>
    </message>
    <message>
        <source>The trail could not be read: %1</source>
        <translation>无法读取审计日志：%1</translation>
    </message>
    <message>
        <source>Export the trail</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>%1 events written to %2</source>
        <translation>已将 %1 条事件写入 %2</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Checking every event of the trail…</source>
        <translation>正在检查审计日志中的每条事件…</translation>
    </message>
    <message>
        <source>The trail is intact: %1 events, every hash and link checked.</source>
        <translation>审计日志完整：%1 条事件，所有哈希和链接均已检查。</translation>
    </message>
    <message>
        <source>The trail was tampered with: event %1 was changed, removed or reordered.</source>
        <translation>审计日志被篡改：事件 %1 被修改、删除或调换了顺序。</translation>
    </message>
    <message>
        <source>The trail could not be checked: %1</source>
        <translation>无法检查审计日志：%1</translation>
    </message>
</context>
<context>
    <name>Verdicts</name>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已上报</translation>
    </message>
</context>
<context>
    <name>Warnings</name>
    <message>
        <source>AndroidManifest.xml is packed or obfuscated: some values may be missing</source>
        <translation>AndroidManifest.xml 经过加壳或混淆：部分值可能缺失</translation>
    </message>
    <message>
        <source>manifest attributes carry the namespace {namespace} instead of Android&apos;s: read by their resource ids, as Android does</source>
        <translation>清单属性使用的命名空间是 {namespace}，而不是 Android 的命名空间：已像 Android 一样按资源 ID 读取</translation>
    </message>
    <message>
        <source>{file} has {count} malformed strings, read as far as their lengths go (string #{index}: {reason}); aapt and recent Android versions may refuse them</source>
        <translation>{file} 含有 {count} 个格式错误的字符串，已按其声明的长度尽量读取（字符串 #{index}：{reason}）；aapt 和较新的 Android 版本可能拒绝读取</translation>
    </message>
    <message>
        <source>{attribute} ({reference}) is a malformed string ({reason}): shown as far as it could be read</source>
        <translation>{attribute}（{reference}）是格式错误的字符串（{reason}）：只显示能读出的部分</translation>
    </message>
    <message>
        <source>package name {package} is not valid for an Android app</source>
        <translation>包名 {package} 不是有效的 Android 应用包名</translation>
    </message>
    <message>
        <source>no versionCode: Android treats it as 0</source>
        <translation>没有 versionCode：Android 将其视为 0</translation>
    </message>
    <message>
        <source>{attribute} is the preview codename {codename}, not an API level</source>
        <translation>{attribute} 是预览版代号 {codename}，不是 API 级别</translation>
    </message>
    <message>
        <source>debuggable build: any app on the device can attach a debugger</source>
        <translation>可调试版本：设备上的任何应用都能附加调试器</translation>
    </message>
    <message>
        <source>test-only build: Android installs it only with adb install -t</source>
        <translation>仅测试版本：Android 只能通过 adb install -t 安装</translation>
    </message>
    <message>
        <source>string resource {reference} could not be resolved</source>
        <translation>无法解析字符串资源 {reference}</translation>
    </message>
    <message>
        <source>launcher icon resource {reference} could not be resolved</source>
        <translation>无法解析启动图标资源 {reference}</translation>
    </message>
    <message>
        <source>launcher icon has no bitmap version (vector or adaptive only)</source>
        <translation>启动图标没有位图版本（只有矢量或自适应图标）</translation>
    </message>
    <message>
        <source>launcher icon {path} is missing from the archive</source>
        <translation>归档中缺少启动图标 {path}</translation>
    </message>
    <message>
        <source>launcher icon {path} is too large ({width}x{height} pixels)</source>
        <translation>启动图标 {path} 过大（{width}x{height} 像素）</translation>
    </message>
    <message>
        <source>signature does not verify for the whole SDK range of this APK</source>
        <translation>签名未能在此 APK 的整个 SDK 范围内通过验证</translation>
    </message>
    <message>
        <source>APK is not signed</source>
        <translation>APK 未签名</translation>
    </message>
    <message>
        <source>no v1 (JAR) signature, which Android {first}-6.0 requires (APK min SDK {min_sdk})</source>
        <translation>没有 v1（JAR）签名，而 Android {first}-6.0 需要它（APK 最低 SDK 为 {min_sdk}）</translation>
    </message>
    <message>
        <source>signed only with v1 (JAR) scheme: vulnerable to Janus (CVE-2017-13156) on Android {first}-{last}</source>
        <translation>仅使用 v1（JAR）方案签名：在 Android {first}-{last} 上易受 Janus 漏洞（CVE-2017-13156）攻击</translation>
    </message>
    <message>
        <source>signing key was rotated (proof-of-rotation lineage: {chain})</source>
        <translation>签名密钥已轮换（轮换证明链：{chain}）</translation>
    </message>
    <message>
        <source>key rotation (v3.1): Android {first}+ uses {current}, older versions use {older}</source>
        <translation>密钥轮换（v3.1）：Android {first}+ 使用 {current}，更早的版本使用 {older}</translation>
    </message>
    <message>
        <source>v1 signature ignored by Android 7.0+: signed by {subject} (sha256 {sha256})</source>
        <translation>Android 7.0+ 会忽略 v1 签名：签名者 {subject}（sha256 {sha256}）</translation>
    </message>
    <message>
        <source>v1 signature ignored by Android 7.0+: signed by {subject} (sha256 {sha256}), Android uses {used} (sha256 {used_sha256})</source>
        <translation>Android 7.0+ 会忽略 v1 签名：签名者 {subject}（sha256 {sha256}），Android 实际使用 {used}（sha256 {used_sha256}）</translation>
    </message>
    <message>
        <source>v1 signature not accepted by Android: signed by {subject} (sha256 {sha256})</source>
        <translation>Android 不接受 v1 签名：签名者 {subject}（sha256 {sha256}）</translation>
    </message>
    <message>
        <source>v1 signature not accepted by Android: signed by {subject} (sha256 {sha256}), Android uses {used} (sha256 {used_sha256})</source>
        <translation>Android 不接受 v1 签名：签名者 {subject}（sha256 {sha256}），Android 实际使用 {used}（sha256 {used_sha256}）</translation>
    </message>
    <message>
        <source>v2 signature ignored by Android 9+: signed by {subject} (sha256 {sha256})</source>
        <translation>Android 9+ 会忽略 v2 签名：签名者 {subject}（sha256 {sha256}）</translation>
    </message>
    <message>
        <source>v2 signature ignored by Android 9+: signed by {subject} (sha256 {sha256}), Android uses {used} (sha256 {used_sha256})</source>
        <translation>Android 9+ 会忽略 v2 签名：签名者 {subject}（sha256 {sha256}），Android 实际使用 {used}（sha256 {used_sha256}）</translation>
    </message>
    <message>
        <source>duplicate zip entries ({names}): Android refuses to install this APK</source>
        <translation>zip 条目重复（{names}）：Android 会拒绝安装此 APK</translation>
    </message>
    <message>
        <source>{size} bytes of unknown data precede the zip archive</source>
        <translation>zip 归档前有 {size} 字节的未知数据</translation>
    </message>
    <message>
        <source>file starts with {size} bytes of DEX code before the zip archive (Janus, CVE-2017-13156): old Android versions run that code instead of the app</source>
        <translation>文件在 zip 归档前以 {size} 字节的 DEX 代码开头（Janus，CVE-2017-13156）：旧版 Android 会运行这段代码而不是应用本身</translation>
    </message>
    <message>
        <source>zip entry {name} uses non-standard compression method {method} (an analysis-evasion trick)</source>
        <translation>zip 条目 {name} 使用了非标准压缩方法 {method}（一种规避分析的手法）</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>is a directory</source>
        <translation>是一个文件夹</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>file exceeds size limit ({size} &gt; {limit} bytes)</source>
        <translation>文件超过大小上限（{size} &gt; {limit} 字节）</translation>
    </message>
    <message>
        <source>not a zip archive</source>
        <translation>不是 zip 归档</translation>
    </message>
    <message>
        <source>empty zip archive</source>
        <translation>空的 zip 归档</translation>
    </message>
    <message>
        <source>too many zip entries ({count} &gt; {limit})</source>
        <translation>zip 条目过多（{count} &gt; {limit}）</translation>
    </message>
    <message>
        <source>decompressed size exceeds limit</source>
        <translation>解压后的大小超过上限</translation>
    </message>
    <message>
        <source>AndroidManifest.xml missing</source>
        <translation>缺少 AndroidManifest.xml</translation>
    </message>
    <message>
        <source>AndroidManifest.xml is empty</source>
        <translation>AndroidManifest.xml 为空</translation>
    </message>
    <message>
        <source>AndroidManifest.xml is plain-text XML, not compiled (not a built APK)</source>
        <translation>AndroidManifest.xml 是未编译的纯文本 XML（不是构建好的 APK）</translation>
    </message>
    <message>
        <source>AndroidManifest.xml is not valid binary XML</source>
        <translation>AndroidManifest.xml 不是有效的二进制 XML</translation>
    </message>
    <message>
        <source>AndroidManifest.xml has no &lt;manifest&gt; element</source>
        <translation>AndroidManifest.xml 没有 &lt;manifest&gt; 元素</translation>
    </message>
    <message>
        <source>AndroidManifest.xml has no package name</source>
        <translation>AndroidManifest.xml 没有包名</translation>
    </message>
    <message>
        <source>parse time exceeds limit</source>
        <translation>解析时间超过上限</translation>
    </message>
    <message>
        <source>memory limit exceeded while parsing</source>
        <translation>解析时超出内存上限</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Import APKs…</source>
        <translation>导入 APK(&amp;I)…</translation>
    </message>
    <message>
        <source>Parse APK files in the background and file them as submissions</source>
        <translation>在后台解析 APK 文件并登记为提交</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Load the queue again</source>
        <translation>重新加载队列</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Re&amp;view</source>
        <translation>审核(&amp;V)</translation>
    </message>
    <message>
        <source>Get &amp;next</source>
        <translation>领取下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Claim the most urgent submission and show it (Ctrl+N)</source>
        <translation>领取最紧急的提交并显示（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Approve selected</source>
        <translation>通过所选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reject selected…</source>
        <translation>驳回所选(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Escalate selected…</source>
        <translation>上报所选(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Undo last decision</source>
        <translation>撤销上一个决定(&amp;U)</translation>
    </message>
    <message>
        <source>Vie&amp;w</source>
        <translation>视图(&amp;W)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>&amp;Activity log</source>
        <translation>活动日志(&amp;A)</translation>
    </message>
    <message>
        <source>Show &amp;kinds</source>
        <translation>显示类型(&amp;K)</translation>
    </message>
    <message>
        <source>Decision &amp;conflicts…</source>
        <translation>结论冲突(&amp;C)…</translation>
    </message>
    <message>
        <source>Reset &amp;layout</source>
        <translation>重置布局(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>In the queue:
A  approve the selected submission (asks first when it has red flags)
R  reject: tick reasons (Space), write a message, Ctrl+Enter
E  escalate: optional note, Ctrl+Enter
J / K or Down / Up  next / previous submission
Esc  leave the form, back to the queue

Ctrl+Z  undo the last decision (until it is sent)
Ctrl+N  get the most urgent submission
Ctrl+O  import APK files
F5  refresh the queue</source>
        <translation>在队列中：
A  通过所选提交（有警示时先确认）
R  驳回：勾选原因（空格键），填写说明，Ctrl+Enter
E  上报：可填备注，Ctrl+Enter
J / K 或 下 / 上  下一个 / 上一个提交
Esc  离开表单，回到队列

Ctrl+Z  撤销上一个决定（发送之前）
Ctrl+N  领取最紧急的提交
Ctrl+O  导入 APK 文件
F5  刷新队列</translation>
    </message>
    <message>
        <source>Reviewer workstation %1
Evidence side by side; decisions to the shared review database.</source>
        <translation>审核工作台 %1
证据并排呈现；审核结论写入共享的审核数据库。</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
</context>
</TS>
