document.getElementById('app')!.textContent = '協議依頼への回答';
