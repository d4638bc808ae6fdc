document.getElementById('app')!.textContent = 'プラチナ提案台帳';
