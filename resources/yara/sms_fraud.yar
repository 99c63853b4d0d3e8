/*
  Premium-rate SMS fraud ("扣费", fee deduction): apps that send text messages to premium short codes on the
  user's bill, then hide the operator's confirmation. These rules read the strings of the DEX code
  (file_kind == "dex"): the SMS-sending API names together with the strings such apps cannot do without
  (the numbers they bill through, the words of the billing notices they delete, the per-operator number
  tables of fake installers). An SMS app or an SMS blocker sends or reads messages too, which is why a
  sending API alone never fires and the verdict is "suspicious": the android_rules engine judges behaviour.

  DEX strings are stored as a ULEB128 length, the MUTF-8 bytes and a NUL; a pattern that starts with 00 and a
  length byte and ends with 00 matches a string that is exactly that text, not a longer one holding it.
*/

rule PremiumShortCodeNumber
{
    meta:
        description = "DEX code that sends SMS and holds, as a string of its own, a Chinese value-added-service (SP) access number (106 followed by 5 to 17 digits: the numbers premium services bill through) or an operator service number (10086 China Mobile, 10010 China Unicom) from which the charge confirmations come"
        why = "an app has no need of a billing access number or the operator's service number unless it subscribes the user by SMS or watches for the operator's confirmation"
        verdict = "suspicious"
    strings:
        $send_text = "sendTextMessage"
        $send_multipart = "sendMultipartTextMessage"
        $send_data = "sendDataMessage"
        $sp_number = /\x00[\x08-\x14]106[0-9]{5,17}\x00/
        $operator_number = /\x00\x0510(086|010)\x00/
    condition:
        file_kind == "dex" and uint32(0) == 0x0a786564 and any of ($send_*) and any of ($sp_number, $operator_number)
}

rule BillingNoticeHiding
{
    meta:
        description = "DEX code that reads or deletes messages in the SMS inbox (content://sms) or stops the delivery of incoming ones (abortBroadcast), and holds the words of Chinese operator billing notices: 包月 (monthly subscription), 资费 (tariff), 信息费 (information fee), 扣费 (charge deducted), 订购 (subscribed), 计费 (billing)"
        why = "an app that looks for billing words in the user's messages and deletes or blocks them hides the charges it caused"
        verdict = "suspicious"
    strings:
        $inbox = "content://sms"
        $abort = "abortBroadcast"
        $monthly = "包月"
        $tariff = "资费"
        $info_fee = "信息费"
        $deducted = "扣费"
        $subscribed = "订购"
        $billing = "计费"
    condition:
        file_kind == "dex" and uint32(0) == 0x0a786564 and ($inbox or $abort)
        and any of ($monthly, $tariff, $info_fee, $deducted, $subscribed, $billing)
}

rule PerOperatorSmsNumbers
{
    meta:
        description = "DEX code that sends SMS, asks which operator the SIM belongs to (getSimOperator / getNetworkOperator: its MCC and MNC) and holds a table keyed by those codes (strings like MCCMNC, RUSSIA_MCC, MEGAFON_MNC)"
        why = "fake installers and 'activation' apps choose the premium number by the user's country and operator: a table of operator codes next to sendTextMessage is how they pick it"
        verdict = "suspicious"
    strings:
        $send_text = "sendTextMessage"
        $send_multipart = "sendMultipartTextMessage"
        $sim_operator = "getSimOperator"
        $network_operator = "getNetworkOperator"
        $mccmnc = "MCCMNC"
        $mcc_key = /[A-Z]{2,20}_MCC\x00/
        $mnc_key = /[A-Z]{2,20}_MNC\x00/
    condition:
        file_kind == "dex" and uint32(0) == 0x0a786564 and any of ($send_*)
        and any of ($sim_operator, $network_operator) and any of ($mccmnc, $mcc_key, $mnc_key)
}
