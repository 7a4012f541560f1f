#!/usr/bin/env bash
# Writes the expected request bodies in requests/, each with a sign computed
# here by sha256sum (not by the package under test). Run from this directory:
#   bash gen.sh
# Every request uses appId ebuyde43082858d1 and key
# D6954F665B12A4318DF2DE43082858DE (e-Buy's published example credentials),
# timestamp 1715911200000 (2024-05-17 10:00:00 Beijing time) and the uuid below.
set -euo pipefail
APP=ebuyde43082858d1
KEY=D6954F665B12A4318DF2DE43082858DE
TS=1715911200000
UUID=20240517-0123456789abcdef0123456789abcdef
HEADERS='{"paas-version":"1.1.0"}'
mkdir -p requests
: > requests/payloads.txt

# vector NAME ACTION CONTENT [HEADERS_MODE]
# HEADERS_MODE: signed (default), unsigned (sent, not signed), omitted.
vector() {
  local name=$1 action=$2 content=$3 mode=${4:-signed}
  local payload
  if [ "$mode" = signed ]; then
    payload="action=$action&appId=$APP&content=$content&headers=$HEADERS&lang=zh_CN&signType=sha256&timestamp=$TS&uuid=$UUID&$KEY"
  else
    payload="action=$action&appId=$APP&content=$content&lang=zh_CN&signType=sha256&timestamp=$TS&uuid=$UUID&$KEY"
  fi
  local sign
  sign=$(printf '%s' "$payload" | sha256sum | cut -d' ' -f1)
  printf '%s\t%s\t%s\n' "$name" "$sign" "$payload" >> requests/payloads.txt
  local headers=",\"headers\":$HEADERS"
  [ "$mode" = omitted ] && headers=""
  printf '{"action":"%s","appId":"%s","content":%s%s,"lang":"zh_CN","sign":"%s","signType":"sha256","timestamp":%s,"uuid":"%s"}' \
    "$action" "$APP" "$content" "$headers" "$sign" "$TS" "$UUID" > "requests/$name.json"
}

vector activate batchActivateCode '{"activateInfo":{"optOrg":"上海","optShopNo":"S001"},"codeArray":["1031000000000000001","1031000000000000002"],"codeValidEnd":"20241231235959","codeValidStart":"20240517000000","makeFundsChannel":{"merchantBenefit":500,"merchantRealAmount":2500,"userRealAmount":2500}}'
vector deactivate batchUnActivateCode '{"brandId":"4339","codeArray":["1031000000000000001"]}'
vector update_delay batchUpdateCodeStatus '{"brandId":4339,"codeValidEnd":"20250101000000","codes":["1031000000000000001","1031000000000000002"],"isNotify":"Y","notifyType":"saleChannel","supportPartial":"Y","updateType":"delay"}'
vector third_batch_make thirdBatchMake '{"brandSalePrice":2800,"codeValidEnd":"20241231235959","faceValue":3000,"makeFundsChannel":{"totalAmount":6000,"userRealAmount":5600},"orderRemark":"<生日>&礼券","saleChannelOrderId":"SO-20240517-1","thirdUserId":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","totalCount":"2","transDate":"20240517","transTime":"100000","useTimes":"1","userMobile":"13800000000","whaleTicketId":"1031000000010741"}'
vector product_detail _getBrandProductDetailDirect '{"productId":1031000000010741}'
vector code_history _queryCodeDetailList '{"code":"1006250730320020870=gHN3981K"}'
vector cancel_redemption verifyCancel '{"codes":["1031000000000000001"],"isAtomicity":"Y","originalUuid":"20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","originalVerifyDate":"20240517"}'
vector sync_redemptions codeVerifyNotify '{"brandId":"4339","cashierTransNo":"20240517000123","codeList":["1031000000000000001"],"storeInfo":{"cityName":"北京","shopName":"星巴克北京银泰店","shopNo":"1490","terminalId":"54022101"},"verifyScene":"offline"}'
vector product_detail_headers_unsigned _getBrandProductDetailDirect '{"productId":1031000000010741}' unsigned
vector product_detail_headers_omitted _getBrandProductDetailDirect '{"productId":1031000000010741}' omitted
vector make_codes makeCode '{"item":{"codeCount":2,"outerOrderItemId":"OO-20240517-1","ticketId":1031000000010741},"outerOrderId":"OO-20240517-1","remark":"<生日>&礼券"}'
vector cancel_synced codeVerifyVoidNotify '{"branId":"4339","codes":["1031000000000000001"],"originalUuid":"20240517000123","supportSaleRealTimeVerify":"N"}'
vector void_merchant codeVerifyVoidNotify '{"code":"1031000000000000001","originalRequestId":"R-20240517-1","requestId":"V-20240517-1","voidTime":"20240517100000"}'

# A signed answer to batchUnActivateCode, as e-Buy could send it: top-level
# fields out of order, a null errorCode (left out of the signature), and a
# content object with unsorted keys and a space, signed as the exact text
# received. ticketId arrives once as a 16-digit number and once as a string.
mkdir -p responses
RCONTENT='{"codeNum":2, "createDate":1715911200123,"activeCodeDetails":[{"codeSecret":"1031000000000000001","codeSearch":"00000001","resultCode":"00","resultMessage":"成功","codeStatus":"03","codeStatusDesc":"未激活","useTimes":"1","ticketId":1031000000010741,"ticketName":"星巴克中杯饮品券","outerOrderId":"SO-1"},{"codeSecret":"1031000000000000002","codeSearch":"00000002","resultCode":"00","resultMessage":"成功","codeStatus":"03","codeStatusDesc":"未激活","useTimes":1,"ticketId":"1031000000010742","ticketName":"星巴克中杯饮品券","outerOrderId":"SO-1"}]}'
RPAYLOAD="action=batchUnActivateCode&content=$RCONTENT&errorMessage=&signType=sha256&success=true&timestamp=1715911200456&uuid=$UUID&$KEY"
RSIGN=$(printf '%s' "$RPAYLOAD" | sha256sum | cut -d' ' -f1)
printf '%s\t%s\t%s\n' deactivate_ok "$RSIGN" "$RPAYLOAD" > responses/payloads.txt
printf '{"success":true,"errorCode":null,"errorMessage":"","action":"batchUnActivateCode","uuid":"%s","timestamp":1715911200456,"signType":"sha256","content":%s,"sign":"%s"}' \
  "$UUID" "$RCONTENT" "$RSIGN" > responses/deactivate_ok.json

# A signed failure answer.
FPAYLOAD="action=batchUnActivateCode&errorCode=91&errorMessage=该码已作废不能更新状态[100***6316]&signType=sha256&success=false&timestamp=1715911200456&uuid=$UUID&$KEY"
FSIGN=$(printf '%s' "$FPAYLOAD" | sha256sum | cut -d' ' -f1)
printf '%s\t%s\t%s\n' deactivate_fail "$FSIGN" "$FPAYLOAD" >> responses/payloads.txt
printf '{"action":"batchUnActivateCode","errorCode":"91","errorMessage":"该码已作废不能更新状态[100***6316]","sign":"%s","signType":"sha256","success":false,"timestamp":1715911200456,"uuid":"%s"}' \
  "$FSIGN" "$UUID" > responses/deactivate_fail.json

# A verification notification in the top-level layout of e-Buy's page (no
# content object): the array values are signed as their raw text.
mkdir -p notifications
NCH='[{"action":"VerifyCodeNotify","channelAppId":"ebuy19915d0498cf","channelId":"ebuywha102410004","channelName":"易百演示","channelType":"saleChannel","messageType":"ebuy","notifyType":"Verify","ticketIds":[1000000010748]}]'
NITEMS='[{"code":"1004231231260035262=7sU8TPTD","ticketId":"1000000010748","verifyId":"36d61fc75def4228bdc1bd4505fd5fcd","codeCount":1,"ticketName":"星巴克中杯饮品券","verifyDate":1715910000000,"outerOrderId":"O-1","originalRequestId":"20240517-1111"}]'
NUUID=20240517-ce26ddc2839e49afb004976179b3c299
NPAYLOAD="action=VerifyCodeNotify&appId=ebuy1d0c0a81a9a4&channelInfoList=$NCH&items=$NITEMS&signType=sha256&timestamp=1715911200789&uuid=$NUUID&$KEY"
NSIGN=$(printf '%s' "$NPAYLOAD" | sha256sum | cut -d' ' -f1)
printf '%s\t%s\t%s\n' verify_toplevel "$NSIGN" "$NPAYLOAD" > notifications/payloads.txt
printf '{"uuid":"%s","appId":"ebuy1d0c0a81a9a4","action":"VerifyCodeNotify","timestamp":1715911200789,"signType":"sha256","channelInfoList":%s,"items":%s,"sign":"%s"}' \
  "$NUUID" "$NCH" "$NITEMS" "$NSIGN" > notifications/verify_toplevel.json
